package io.proxyless.spark.job;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.checkpoint.Resumption;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.spark.source.DataSources;
import io.proxyless.spark.source.ImageTable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
        return session(master, java.util.List.of());
    }

    /** {@link #session(String)}, shipping {@code jars} to the executors too (a space of one's own). */
    public static SparkSession session(String master, java.util.List<String> jars) {
        SparkConf conf = new SparkConf(true).setAppName("proxyless-spark search");
        if (!jars.isEmpty()) {
            String given = conf.get("spark.jars", "");
            conf.set("spark.jars", (given.isEmpty() ? "" : given + ",") + String.join(",", jars));
        }
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

    /** A search over data in this Spark session: {@code SparkSearch.builder(spark).setConfig(c)...run()}. */
    public static Builder builder(SparkSession spark) {
        return new Builder(spark);
    }

    /**
     * What a search runs on. Only the configuration and the output are required: the data is
     * {@code dataset.path} of the configuration unless {@link #setData} gives a table.
     */
    public static final class Builder {

        private final SparkSession spark;
        private TrainerConfig config;
        private Dataset<Row> rows;
        private String imageColumn;
        private String labelColumn;
        private OutputFolder output;
        private String outputPath;
        private int partitions;
        private SpaceLatency latency;
        private boolean resume;

        private Builder(SparkSession spark) {
            this.spark = spark;
        }

        public Builder setConfig(TrainerConfig config) {
            this.config = config;
            return this;
        }

        /** The rows to search on, with the image and label columns of {@code dataset} unless set here. */
        public Builder setData(Dataset<Row> rows) {
            this.rows = rows;
            return this;
        }

        public Builder optImageColumn(String column) {
            this.imageColumn = column;
            return this;
        }

        public Builder optLabelColumn(String column) {
            this.labelColumn = column;
            return this;
        }

        /** The output folder: any Hadoop path. */
        public Builder setOutput(String path) {
            this.outputPath = path;
            return this;
        }

        public Builder setOutput(OutputFolder folder) {
            this.output = folder;
            return this;
        }

        /** Data partitions (default: one per task slot). For given shards, results do not depend on it. */
        public Builder optPartitions(int partitions) {
            this.partitions = Partitions.check(partitions);
            return this;
        }

        /** The latency costs of {@code applied_hardware} (see {@code HardwareResolver}); none by default. */
        public Builder optLatency(SpaceLatency latency) {
            this.latency = latency;
            return this;
        }

        /** Continue the search in the output folder from its newest valid checkpoint. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Runs the search and returns the final architecture parameters; the output ends with _SUCCESS. */
        public ArchitectureParameters run() throws IOException {
            if (config == null || (output == null && outputPath == null)) {
                throw new IllegalStateException("setConfig and setOutput are required");
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            OutputFolder folder = output != null ? output
                    : new HadoopOutputFolder(outputPath, spark.sparkContext().hadoopConfiguration());
            TrainerConfig run = Resumption.withRecordedShards(folder, config, resume);
            int n = Partitions.resolve(partitions, sc);
            int shards = run.shards() > 0 ? run.shards() : n;
            if (shards < n) {
                LOG.warn("{} shards per batch keep only {} of the {} partitions busy; set {} to {} or more to use them all",
                        shards, shards, n, TrainerConfig.option("shards"), n);
            }
            return SearchRun.run(run, () -> SparkSearchData.of(spark, table(), run, n, shards), folder, latency,
                    resume);
        }

        private ImageTable table() throws IOException {
            if (rows == null) {
                return DataSources.open(spark, config.dataset());
            }
            return ImageTable.of(rows, imageColumn != null ? imageColumn : config.dataset().imageColumn(),
                    labelColumn != null ? labelColumn : config.dataset().labelColumn());
        }
    }

    /** One partition per task slot: total cores divided by cores per task. */
    public static int defaultPartitions(JavaSparkContext sc) {
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        return Math.max(1, sc.defaultParallelism() / taskCpus);
    }
}
