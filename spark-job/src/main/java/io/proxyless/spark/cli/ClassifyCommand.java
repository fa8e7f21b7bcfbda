package io.proxyless.spark.cli;

import io.proxyless.spark.job.SparkSearch;
import io.proxyless.udfs.classify.Classify;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code proxyless classify}: the SQL function {@code classify(image)} over a table or a Parquet
 * folder, written as Parquet: every column of the input and a {@code prediction} (label, index,
 * probability). The batch job a scheduled run needs, in one command.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify the images of a Parquet folder or a table with a model folder (SQL: SELECT *,"
                + " classify(image) AS prediction) and write the rows with their prediction as Parquet to --output.")
public final class ClassifyCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model folder written by retrain (any Hadoop path)")
    String model;

    @Option(names = "--data", required = true, description = "Parquet folder (any Hadoop path) or a table name")
    String data;

    @Option(names = "--image-column", defaultValue = "image",
            description = "Column of the image: PNG/JPEG bytes, a raw tensor as binary, or array<float> (default: image)")
    String imageColumn;

    @Option(names = "--output", required = true, description = "Parquet folder to write; it must not exist")
    String output;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    SparkOptions sparkOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (SparkSession spark = SparkSearch.session(sparkOptions.master, jarOptions.load(new Configuration()));
                Classify classify = Classify.register(spark, model)) {
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output);
            if (target.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(target)) {
                throw new IllegalArgumentException("--output " + output + " already exists; give another folder");
            }
            Dataset<Row> rows = read(spark);
            if (!Arrays.asList(rows.columns()).contains(imageColumn)) {
                throw new IllegalArgumentException("--data " + data + " has no column '" + imageColumn + "'; it has "
                        + Arrays.toString(rows.columns()) + " (choose one with --image-column)");
            }
            rows.createOrReplaceTempView("proxyless_classify_input");
            Dataset<Row> classified = spark.sql("SELECT *, " + Classify.NAME + "(`" + imageColumn.replace("`", "``")
                    + "`) AS prediction FROM proxyless_classify_input");
            classified.write().mode(SaveMode.ErrorIfExists).parquet(output);
            long count = spark.read().parquet(output).count();
            spec.commandLine().getOut().println("classified " + count + " rows of " + data + " into " + output);
        }
        return 0;
    }

    private Dataset<Row> read(SparkSession spark) {
        boolean path = data.contains("/") || data.contains(":");
        if (!path && spark.catalog().tableExists(data)) {
            return spark.table(data);
        }
        return spark.read().parquet(data);
    }
}
