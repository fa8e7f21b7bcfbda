package io.proxyless.spark.bench;

import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.udfs.classify.Classify;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inference throughput per core (scripts/bench/classify.sh): the model folder {@code bench.model}
 * over the 10,000 Fashion-MNIST test images, in this JVM ({@code evaluate --in-process}'s path),
 * through {@code Classify.transform} (batches of 256 per partition), through the SQL function
 * {@code classify(image)} in a projection (planned as batches of 256) and in a filter (one row at a
 * time), each on one core ({@code local[1]}, one libtorch
 * thread). The table is cached first, so each figure is inference alone. Best of the rounds.
 */
public final class ClassifyBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        SavedModel model = SavedModel.load(new LocalFileSource(Path.of(System.getProperty("bench.model"))));
        ImageDataset test = ImageDataset.loadIdx(new LocalFileSource(Path.of(System.getProperty("bench.data"))), "t10k",
                model.space().create().numClasses());
        int n = test.size();
        double inProcess = 0;
        try (Classifier classifier = new Classifier(model)) {
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                Evaluation e = classifier.evaluate(test);
                inProcess = Math.max(inProcess, e.count() / ((System.nanoTime() - t0) / 1e9));
            }
        }
        double transform = 0;
        double sql = 0;
        double sqlFilter = 0;
        try (SparkSession spark = SparkSearch.session("local[1]");
                Classify classify = Classify.register(spark, model)) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(RowFactory.create(i, test.label(i), test.pixels(new int[] {i})));
            }
            StructType schema = new StructType().add("id", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
                    .add("image", DataTypes.BinaryType);
            Dataset<Row> table = spark.createDataFrame(rows, schema).repartition(1).cache();
            table.count();
            table.createOrReplaceTempView("test");
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                classify.transform(table, "image", "p", 256).write().format("noop").mode("overwrite").save();
                transform = Math.max(transform, n / ((System.nanoTime() - t0) / 1e9));
                t0 = System.nanoTime();
                spark.sql("SELECT classify(image) AS p FROM test").write().format("noop").mode("overwrite").save();
                sql = Math.max(sql, n / ((System.nanoTime() - t0) / 1e9));
                t0 = System.nanoTime();
                spark.sql("SELECT id FROM test WHERE classify(image).index >= 0").write().format("noop").mode("overwrite")
                        .save();
                sqlFilter = Math.max(sqlFilter, n / ((System.nanoTime() - t0) / 1e9));
            }
            table.unpersist();
        }
        System.out.printf(Locale.ROOT, "%-44s %14s %10s%n", "path (1 core, 1 libtorch thread)", "images/s", "vs evaluate");
        System.out.printf(Locale.ROOT, "%-44s %14.0f %10s%n", "evaluate --in-process (batches of 256)", inProcess, "1.00x");
        System.out.printf(Locale.ROOT, "%-44s %14.0f %9.2fx%n", "Classify.transform / ProxylessModel (256)", transform,
                transform / inProcess);
        System.out.printf(Locale.ROOT, "%-44s %14.0f %9.2fx%n", "SQL SELECT classify(image) (batches of 256)", sql,
                sql / inProcess);
        System.out.printf(Locale.ROOT, "%-44s %14.0f %9.2fx%n", "SQL WHERE classify(image)... (row at a time)", sqlFilter,
                sqlFilter / inProcess);
    }
}
