package io.proxyless.spark.retrain;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.retrain.RetrainRun;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.cli.Main;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.udfs.classify.Classify;
import io.proxyless.udfs.classify.ModelCache;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search, retrain, evaluate and classify on real Fashion-MNIST: 3,000 training rows as Parquet and
 * 1,000 rows of the real test files as a Parquet table of PNG bytes. The network the search exports
 * is retrained from scratch, scored every epoch on the test table, saved; {@code evaluate} and the
 * SQL function {@code classify} (batched in a projection, row by row in a filter) then count the
 * same predictions, on one JVM and on two executor JVMs that each load the model once.
 */
class RetrainAndClassifyTest {

    @TempDir
    static Path dir;

    static Path model;
    static RetrainRun.Result result;

    @BeforeAll
    static void searchAndRetrain() throws Exception {
        TestImages.Rows train = TestImages.fashionMnist(3000);
        TestImages.Rows test = TestImages.fashionMnist("t10k", 1000);
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            TestImages.writeParquet(spark, dir.resolve("train"), train, 2);
            writePngTable(spark, dir.resolve("test"), test);
            TrainerConfig search = SparkTestSupport.smallConfig(true, 1200, 1, 50).toBuilder()
                    .optDataset(SparkTestSupport.smallConfig(true, 1200, 1, 50).dataset()
                            .withPath(dir.resolve("train").toString()))
                    .build();
            Path run = dir.resolve("search");
            SparkSearch.builder(spark).setConfig(search).setOutput(new LocalOutputFolder(run)).run();

            TrainerConfig recipe = RetrainRun.recipe().optModel(search.model())
                    .optDataset(DatasetConfig.defaults().withSource(dir.resolve("train").toString(), "auto").withTrainPortion(0.9))
                    .optOptimizer(search.optimizer()).set("num_epochs", 4).set("batch_size", 32).set("log_frequency", 20).set("seed", 5)
                    .build();
            model = dir.resolve("model");
            result = SparkRetrain.builder(spark).setConfig(recipe)
                    .setArchitectureJson(Files.readString(run.resolve(ArchitectureExport.ARCHITECTURE)), "the search")
                    .optTestData(spark.read().parquet(dir.resolve("test").toUri().toString()))
                    .setOutput(model.toUri().toString())
                    .run();
        }
    }

    /** {@code image}: PNG bytes, {@code label}: int, {@code id}: the row. */
    private static void writePngTable(SparkSession spark, Path out, TestImages.Rows rows) throws Exception {
        List<Row> table = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            BufferedImage image = new BufferedImage(rows.width(), rows.height(), BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, rows.width(), rows.height(), rows.pixels()[i]);
            table.add(RowFactory.create(i, rows.labels()[i], TestImages.png(image)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
                .add("image", DataTypes.BinaryType);
        spark.createDataFrame(table, schema).repartition(3).write().parquet(out.toUri().toString());
    }

    @Test
    void retrainedNetworkLearnsAndEvaluateAndClassifyCountTheSamePredictions() throws Exception {
        assertEquals(1000, result.test().count());
        assertEquals(4, result.epochs().size(), "a test score per epoch");
        assertTrue(result.test().top1() > 0.6, "top-1 on 1,000 real test images, 10 classes: " + result.test().top1());
        assertTrue(Files.exists(model.resolve("_SUCCESS")));

        Path report = dir.resolve("evaluation.json");
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "evaluate",
                "--model", model.toString(), "--data", dir.resolve("test").toString(), "--master", "local[2]",
                "--output", report.toString()));
        assertTrue(out.toString().contains("top-1"), out.toString());
        JsonObject evaluation = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertEquals(result.test().top1(), evaluation.get("top1").getAsDouble(), 0.0, "the reloaded model scores the same");
        assertEquals(1000, evaluation.get("images").getAsInt());
        assertTrue(evaluation.get("images_per_s").getAsDouble() > 0);
        assertEquals(10, evaluation.getAsJsonObject("per_class_accuracy").size());

        try (SparkSession spark = SparkSearch.session("local[2]");
                Classify classify = Classify.register(spark, model.toUri().toString())) {
            spark.read().parquet(dir.resolve("test").toUri().toString()).createOrReplaceTempView("test");
            Dataset<Row> query = spark.sql("SELECT id, label, classify(image) AS p FROM test ORDER BY id");
            String plan = query.queryExecution().optimizedPlan().toString();
            assertTrue(plan.contains("MapPartitions") && !plan.contains("classify("),
                    "classify in a projection runs as a batched pass over each partition:\n" + plan);
            List<Row> rows = query.collectAsList();
            long[][] confusion = new long[10][10];
            for (Row r : rows) {
                Row p = r.getStruct(2);
                assertEquals(Integer.toString(p.getInt(1)), p.getString(0), "label of the class index");
                assertTrue(p.getFloat(2) > 0.1f && p.getFloat(2) <= 1f);
                confusion[r.getInt(1)][p.getInt(1)]++;
            }
            var matrix = evaluation.getAsJsonObject("confusion_matrix").getAsJsonArray("rows_actual_columns_predicted");
            for (int a = 0; a < 10; a++) {
                for (int b = 0; b < 10; b++) {
                    assertEquals(matrix.get(a).getAsJsonArray().get(b).getAsLong(), confusion[a][b],
                            "classify and evaluate disagree at (" + a + ", " + b + ")");
                }
            }
            long correct = 0;
            for (int c = 0; c < 10; c++) {
                correct += confusion[c][c];
            }
            Dataset<Row> filtered = spark.sql("SELECT id FROM test WHERE classify(image).index = label");
            assertTrue(filtered.queryExecution().optimizedPlan().toString().contains("classify("),
                    "in a filter the function runs row by row");
            assertEquals(correct, filtered.count(), "row by row and batched agree");
            Dataset<Row> batched = classify.transform(spark.read().parquet(dir.resolve("test").toUri().toString()),
                    "image", "p", 64);
            Map<Integer, Integer> byId = new TreeMap<>();
            batched.collectAsList().forEach(r -> byId.put(r.getInt(0), r.getStruct(3).getInt(1)));
            for (Row r : rows) {
                assertEquals(r.getStruct(2).getInt(1), byId.get(r.getInt(0)), "row " + r.getInt(0));
            }
        }
    }

    @Test
    void eachExecutorJvmLoadsTheModelOnce() throws Exception {
        try (SparkSession spark = SparkSession.builder()
                .config(SparkTestSupport.localCluster(SparkHome.prepare(), "classify on two executors")).getOrCreate();
                Classify classify = Classify.register(spark, model.toUri().toString())) {
            Dataset<Row> test = spark.read().parquet(dir.resolve("test").toUri().toString()).repartition(4);
            test.createOrReplaceTempView("test");
            // Each partition reports its JVM and that JVM's load count after classifying its rows.
            List<String> perPartition = spark.sql("SELECT classify(image).index AS c FROM test").toJavaRDD()
                    .mapPartitions(it -> {
                        long n = 0;
                        while (it.hasNext()) {
                            it.next();
                            n++;
                        }
                        return List.of(SparkEnv.get().executorId() + " " + ModelCache.loads() + " " + n).iterator();
                    }).collect();
            assertEquals(4, perPartition.size(), perPartition.toString());
            Map<String, Integer> loads = new TreeMap<>();
            long rows = 0;
            for (String line : perPartition) {
                String[] f = line.split(" ");
                loads.merge(f[0], Integer.parseInt(f[1]), Math::max);
                rows += Long.parseLong(f[2]);
            }
            assertEquals(1000, rows);
            assertEquals(2, loads.size(), "two executor JVMs classified: " + perPartition);
            loads.forEach((executor, n) -> assertEquals(1, n, "executor " + executor + " loaded the model " + n + " times"));
        }
    }
}
