package io.proxyless.spark.cli;

import io.proxyless.spark.job.Partitions;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

/** The Spark flags every command that runs on Spark shares, as a mixin. */
public final class SparkOptions {

    @Option(names = "--master", description = "Spark master; default: spark-submit's, else local[*]")
    String master;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Data partitions; 0 (default): one per task slot. For a given --shards, results do not"
                    + " depend on it.")
    int partitions;

    /** {@code --partitions} as given, checked. */
    int partitions() {
        return Partitions.check(partitions);
    }

    /** {@code --partitions}, or one per task slot of the session. */
    int partitions(JavaSparkContext sc) {
        return Partitions.resolve(partitions, sc);
    }
}
