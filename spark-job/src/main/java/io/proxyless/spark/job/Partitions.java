package io.proxyless.spark.job;

import org.apache.spark.api.java.JavaSparkContext;

/** How many partitions the data is cut into: {@code --partitions}, or 0 for one per task slot. */
public final class Partitions {

    private Partitions() {}

    /** {@code requested}, if it is a partition count or 0; else an error naming the option. */
    public static int check(int requested) {
        if (requested < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0, got " + requested);
        }
        return requested;
    }

    /** {@code requested}, or one per task slot of the session when it is 0. */
    public static int resolve(int requested, JavaSparkContext sc) {
        return check(requested) > 0 ? requested : SparkSearch.defaultPartitions(sc);
    }
}
