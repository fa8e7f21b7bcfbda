package io.proxyless.spark;

import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.OptimizerConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.nn.NormConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared settings of the Spark tests: loopback only, small spaces, real Fashion-MNIST. */
public final class SparkTestSupport {

    public static final Path FASHION_MNIST = Path.of(DatasetConfig.DEBIAN_FASHION_MNIST);

    private SparkTestSupport() {}

    /**
     * Two executor JVMs of one core each ({@code local-cluster}) on loopback, with the launchers'
     * executor environment and one libtorch thread each.
     */
    public static org.apache.spark.SparkConf localCluster(Path sparkHome, String appName) {
        return new org.apache.spark.SparkConf()
                .setMaster("local-cluster[2,1,2048]")
                .setAppName(appName)
                .set("spark.home", sparkHome.toString())
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.locality.wait", "0")
                .set("spark.executor.extraJavaOptions",
                        "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1")
                .set("spark.executorEnv.MALLOC_ARENA_MAX", "1")
                .set("spark.executorEnv.MALLOC_MMAP_MAX_", "0")
                .set("spark.executorEnv.MALLOC_TRIM_THRESHOLD_", "17179869184")
                .set("spark.executorEnv.ONEDNN_MAX_CPU_ISA", "AVX2")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The command that starts {@code main} in a new JVM with this one's options and class path. */
    public static List<String> javaCommand(Class<?> main) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return command;
    }

    /**
     * A copy of a finished run as a search stopped after {@code step} leaves it: no results, no
     * checkpoint after that step, LATEST on the newest left.
     */
    public static Path stoppedCopy(Path finished, Path copy, long step) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(finished)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(finished.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(f, target);
                }
            }
        }
        for (String name : List.of("_SUCCESS", "architecture.json", "architecture-probs.json", "run.json", "report.html")) {
            java.nio.file.Files.deleteIfExists(copy.resolve(name));
        }
        io.proxyless.nas.checkpoint.CheckpointStore store = new io.proxyless.nas.checkpoint.CheckpointStore(
                new io.proxyless.nas.io.LocalOutputFolder(copy), 3);
        String newest = null;
        for (String name : store.names()) {
            if (Long.parseLong(name.replaceAll("\\D", "")) > step) {
                java.nio.file.Files.delete(copy.resolve("checkpoints").resolve(name));
            } else {
                newest = name;
            }
        }
        java.nio.file.Files.writeString(copy.resolve("checkpoints/LATEST"), "checkpoints/" + newest);
        return copy;
    }

    /** Every record of a metrics file but its timings (speed and ETA), which no two runs share. */
    public static List<String> metricsWithoutTimings(List<String> lines) {
        List<String> records = new java.util.ArrayList<>();
        for (String line : lines) {
            com.google.gson.JsonObject record = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            record.remove("images_per_s");
            record.remove("eta_s");
            records.add(record.toString());
        }
        return records;
    }

    public static List<String> metricsWithoutTimings(Path metrics) throws java.io.IOException {
        return metricsWithoutTimings(Files.readAllLines(metrics));
    }

    public static LocalFileSource fashionMnist() {
        assertTrue(Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST missing: apt-get install dataset-fashion-mnist");
        return new LocalFileSource(FASHION_MNIST);
    }

    /** Fashion-MNIST read and split in this JVM. */
    public static io.proxyless.nas.train.InProcessData inProcess(TrainerConfig config) throws java.io.IOException {
        return io.proxyless.nas.train.InProcessData.load(config, fashionMnist());
    }

    /** Fashion-MNIST read, split and cached by Spark, in {@code partitions} partitions of whole shards. */
    public static io.proxyless.spark.job.SparkSearchData distributed(org.apache.spark.sql.SparkSession spark,
            TrainerConfig config, int partitions, int shards) throws java.io.IOException {
        fashionMnist();
        return io.proxyless.spark.job.SparkSearchData.of(spark,
                io.proxyless.spark.source.DataSources.open(spark, config.dataset()), config, partitions, shards);
    }

    /** An executor over {@code partitions} (the data's own, or a wrapper of them) with the data's normalisation. */
    public static io.proxyless.spark.step.driver.SparkStepExecutor executor(org.apache.spark.sql.SparkSession spark,
            org.apache.spark.api.java.JavaRDD<io.proxyless.spark.data.DataShard> partitions, int shards,
            TrainerConfig config, io.proxyless.spark.job.SparkSearchData data) {
        return new io.proxyless.spark.step.driver.SparkStepExecutor(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), partitions, shards,
                config.spaceSpec(), data.summary().normalization(), null);
    }

    /** A small space; {@code batchNorm = false} makes gradients independent of how a batch is split. */
    public static TrainerConfig smallConfig(boolean batchNorm, int limit, int epochs, int batch) {
        return TrainerConfig.builder()
                .optModel(MobileNetSpace.builder()
                        .optStages(new int[] {12, 16}, new int[] {2, 1}, new int[] {2, 2})
                        .optFirstConv(8, 1)
                        .optFirstBlockChannels(8)
                        .optFeatureMixChannels(32)
                        .optCandidateOps(List.of("k3e3", "k5e3", "k3e6"))
                        .optNorm(new NormConfig(batchNorm, 0.1f, 1e-3f))
                        .build())
                .optDataset(DatasetConfig.defaults().withLimit(limit))
                .optOptimizer(new OptimizerConfig(0.05, 0.05, 0.9f, true, 4e-5f))
                .set("num_epochs", epochs)
                .set("batch_size", batch)
                .set("log_frequency", 1)
                .set("arc_learning_rate", 0.01)
                .set("seed", 11)
                .build();
    }
}
