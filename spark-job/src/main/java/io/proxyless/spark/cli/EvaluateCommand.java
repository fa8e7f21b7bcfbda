package io.proxyless.spark.cli;

import com.google.gson.GsonBuilder;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.evaluate.ModelEvaluation;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.source.DataSources;
import io.proxyless.udfs.fs.HadoopFileSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code proxyless evaluate}: a saved model scored on a labelled set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model folder on --data: top-1, top-5, per-class accuracy, the confusion matrix and"
                + " images/s of inference, printed and (with --output) written as JSON.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model folder written by retrain (any Hadoop path)")
    String model;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the metrics to FILE as JSON (any Hadoop path)")
    String output;

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--in-process", description = "Score in this JVM, without Spark (IDX folders only)")
    boolean inProcess;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DatasetConfig dataset = datasetOptions.dataset();
        Map<String, Object> report;
        if (inProcess) {
            Configuration hadoop = new Configuration();
            jarOptions.load(hadoop);
            SavedModel saved = SavedModel.load(new HadoopFileSource(model, hadoop));
            report = inProcess(saved, dataset, hadoop);
            write(report, hadoop);
            return 0;
        }
        try (SparkSession spark = SparkSearch.session(sparkOptions.master, jarOptions.load(new Configuration()))) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            SavedModel saved = SavedModel.load(new HadoopFileSource(model, hadoop));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int n = sparkOptions.partitions(sc);
            ModelEvaluation result = ModelEvaluation.run(spark, saved, DataSources.openTest(spark, dataset), n);
            report = result.describe(saved, model, sc.defaultParallelism());
            write(report, hadoop);
        }
        return 0;
    }

    private Map<String, Object> inProcess(SavedModel saved, DatasetConfig dataset, Configuration hadoop)
            throws java.io.IOException {
        if (!Arrays.asList("auto", "idx").contains(dataset.format())) {
            throw new IllegalArgumentException("--in-process reads IDX folders only; drop --in-process to read "
                    + dataset.format() + " with Spark");
        }
        HadoopFileSource folder = new HadoopFileSource(dataset.pathOrDefault(), hadoop);
        ImageDataset rows = IdxTestImages.load(folder, saved, "",
                "; drop --in-process to have Spark resize and convert them");
        try (Classifier classifier = new Classifier(saved)) {
            long start = System.nanoTime();
            Evaluation e = classifier.evaluate(rows);
            long wall = System.nanoTime() - start;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("data", "IDX t10k of " + folder.describe(""));
            out.putAll(e.describe(saved.classNames(), wall));
            return out;
        }
    }

    private void write(Map<String, Object> report, Configuration hadoop) throws java.io.IOException {
        String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(report);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s on %s: top-1 %.4f, top-5 %.4f over %d images, %.0f images/s%n", model,
                report.get("data"), report.get("top1"), report.get("top5"), report.get("images"),
                report.get("images_per_s"));
        if (output != null) {
            Path path = new Path(output);
            try (FSDataOutputStream stream = path.getFileSystem(hadoop).create(path, true)) {
                stream.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } else {
            out.println(json);
        }
        out.flush();
    }
}
