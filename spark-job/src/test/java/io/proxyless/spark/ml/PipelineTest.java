package io.proxyless.spark.ml;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.Supernet;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChildTrainer} and {@link ProxylessModel} inside a Spark ML {@link Pipeline}, on real
 * Fashion-MNIST rows with class names as labels: fit, transform, save, load, transform again.
 */
class PipelineTest {

    private static final String NAMES = "array('T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',"
            + " 'Sneaker', 'Bag', 'Ankle boot')";

    @Test
    void childTrainerFitsInAPipelineAndTheFittedPipelineSavesAndLoads(@TempDir Path dir) throws Exception {
        MobileNetSpace space = SparkTestSupport.smallConfig(true, 0, 1, 32).model();
        String architecture;
        try (Supernet supernet = Supernet.of(space)) {
            architecture = ArchitectureExport.architectureJson(ChildArchitecture.uniform(supernet.choices(), "k3e3").chosen());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", ConfigLoader.modelKeys(space));
        config.put("batch_size", 32);
        config.put("seed", 4);
        config.put("optimizer", Map.of("learning_rate", 0.05));
        TestImages.Rows rows = TestImages.fashionMnist(2400);
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            TestImages.writeParquet(spark, dir.resolve("images"), rows, 2);
            Dataset<Row> all = spark.read().parquet(dir.resolve("images").toUri().toString())
                    .withColumn("cls", expr("element_at(" + NAMES + ", label + 1)"));
            Dataset<Row> train = all.filter(col("id").lt(2000));
            Dataset<Row> test = all.filter(col("id").geq(2000));

            ChildTrainer trainer = new ChildTrainer().setImageCol("image").setLabelCol("cls")
                    .setArchitecture(architecture).setConfig(new Yaml().dump(config)).setNumEpochs(3)
                    .setModelDir(dir.resolve("model").toUri().toString());
            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {trainer});
            pipeline.write().save(dir.resolve("pipeline").toUri().toString());
            Pipeline reloadedPipeline = Pipeline.load(dir.resolve("pipeline").toUri().toString());
            assertEquals(architecture, ((ChildTrainer) reloadedPipeline.getStages()[0]).getOrDefault(trainer.architecture()));

            PipelineModel fitted = pipeline.fit(train);
            List<Row> predicted = fitted.transform(test).select("id", "cls", "prediction", "predictedLabel", "probability")
                    .orderBy("id").collectAsList();
            assertEquals(400, predicted.size());
            long correct = predicted.stream().filter(r -> r.getString(1).equals(r.getString(3))).count();
            assertTrue(correct > 200, "correct of 400 held-out rows, 10 classes: " + correct);
            // Class names are sorted into indices, as ImageFolder sorts them.
            assertEquals("Ankle boot", ((ProxylessModel) fitted.stages()[0]).savedModel().classNames().get(0));

            fitted.write().save(dir.resolve("fitted").toUri().toString());
            assertTrue(Files.exists(dir.resolve("fitted/stages").toFile().listFiles()[0].toPath()
                    .resolve("model/model.safetensors")), "the model folder sits inside the saved stage");
            PipelineModel reloaded = PipelineModel.load(dir.resolve("fitted").toUri().toString());
            List<Row> again = reloaded.transform(test).select("id", "cls", "prediction", "predictedLabel", "probability")
                    .orderBy("id").collectAsList();
            assertEquals(predicted, again, "the reloaded pipeline predicts the same");
        }
    }

    @Test
    void proxylessSearchSearchesThenRetrainsInOneFit(@TempDir Path dir) throws Exception {
        MobileNetSpace space = SparkTestSupport.smallConfig(true, 0, 1, 32).model();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", ConfigLoader.modelKeys(space));
        config.put("batch_size", 32);
        config.put("num_epochs", 2);
        config.put("warmup_epochs", 1);
        config.put("arc_learning_rate", 0.01);
        config.put("applied_hardware", "flops");
        config.put("grad_reg_loss_type", "add#linear");
        config.put("optimizer", Map.of("learning_rate", 0.05));
        TestImages.Rows rows = TestImages.fashionMnist(1200);
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            TestImages.writeParquet(spark, dir.resolve("images"), rows, 2);
            Dataset<Row> train = spark.read().parquet(dir.resolve("images").toUri().toString());
            ProxylessModel model = new ProxylessSearch().setConfig(new Yaml().dump(config)).setRetrainEpochs(4)
                    .setSearchDir(dir.resolve("search").toString()).setModelDir(dir.resolve("model").toString())
                    .fit(train);
            assertTrue(Files.exists(dir.resolve("search/_SUCCESS")) && Files.exists(dir.resolve("model/_SUCCESS")));
            assertEquals(ArchitectureExport.parseArchitecture(
                    Files.readString(dir.resolve("search/architecture.json")), "search"), model.savedModel().architecture(),
                    "the model is the network the search exported");
            long correct = model.transform(train).filter("prediction = label").count();
            assertTrue(correct > 1200 * 0.3, "correct of 1200 training rows after a short retrain: " + correct);
        }
    }
}
