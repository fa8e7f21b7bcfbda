package io.proxyless.spark.bench;

import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.Locale;

/**
 * The floor under a distributed step (scripts/bench/spark_jobs.sh): a job over one cached
 * partition that does nothing, then with a step's broadcast (720 KB of floats) and with a step's
 * result (300 KB), in the search's own session settings. Means over 30 jobs, per round.
 */
public final class TrivialJobBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        try (SparkSession spark = SparkSearch.session(System.getProperty("bench.master", "local[2]"))) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<Integer> rdd = sc.parallelize(List.of(1), 1).persist(StorageLevel.MEMORY_ONLY());
            rdd.count();
            float[] weights = new float[180_000];
            System.out.printf(Locale.ROOT, "%-6s %12s %18s %18s%n", "round", "trivial ms", "+ 720K broadcast", "+ 300K result");
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 30; i++) {
                    rdd.map(x -> x + 1).reduce(Integer::sum);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 30; i++) {
                    Broadcast<float[]> b = sc.broadcast(weights);
                    rdd.map(x -> b.value().length + x).reduce(Integer::sum);
                    b.destroy(false);
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < 30; i++) {
                    rdd.map(x -> new float[75_000]).reduce((a, b) -> a);
                }
                long t3 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%-6d %12.1f %18.1f %18.1f%n", round, (t1 - t0) / 30e6, (t2 - t1) / 30e6,
                        (t3 - t2) / 30e6);
            }
        }
    }
}
