package io.proxyless.spark.job;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.FileSource;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.data.ShardedDataset;
import io.proxyless.spark.step.SparkStepExecutor;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The search as a Spark application: the driver holds the master weights and optimizer state; each
 * step the cached data partitions compute their rows of the global batch on the executors.
 */
public final class SparkSearch {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSearch.class);

    private SparkSearch() {}

    /**
     * Spark settings for one training task per executor: in local mode {@code local[N]} with
     * {@code spark.task.cpus = N}, bound to loopback. Under spark-submit the master comes from there.
     */
    public static SparkSession session(String master) {
        SparkConf conf = new SparkConf(true).setAppName("proxyless-spark search");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        String resolved = conf.get("spark.master");
        if (resolved.startsWith("local[") || resolved.equals("local")) {
            int cores = localCores(resolved);
            conf.setIfMissing("spark.task.cpus", Integer.toString(cores));
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.locality.wait", "0");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    static int localCores(String master) {
        if (master.equals("local")) {
            return 1;
        }
        String n = master.substring("local[".length(), master.indexOf(']'));
        if (n.equals("*")) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return Integer.parseInt(n.split(",")[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--master: cannot read the core count of '" + master + "'", e);
        }
    }

    /**
     * Runs the search with {@code partitions} data partitions (0: one per executor slot for a task),
     * each batch cut into {@code shards} shards (0: one per partition), and the latency term over
     * {@code latency} (or none when {@code null}). For a given number of shards the result is the same
     * on any number of partitions.
     */
    public static void run(SparkSession spark, TrainerConfig config, FileSource data, OutputFolder output, int partitions,
            SpaceLatency latency, boolean resume) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int n = partitions > 0 ? partitions : defaultPartitions(sc);
        int shards = config.shards() > 0 ? config.shards() : n;
        if (shards < n) {
            LOG.warn("{} shards per batch keep only {} of the {} partitions busy; set {} to {} or more to use them all",
                    shards, shards, n, TrainerConfig.option("shards"), n);
        }
        SearchRun.run(config, data, output, (supernet, weightSplit, archSplit) -> new SparkStepExecutor(
                sc, ShardedDataset.distribute(sc, weightSplit, archSplit, n, shards), shards, config), latency, resume);
    }

    /** One partition per task slot: total cores divided by cores per task. */
    static int defaultPartitions(JavaSparkContext sc) {
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        return Math.max(1, sc.defaultParallelism() / taskCpus);
    }
}
