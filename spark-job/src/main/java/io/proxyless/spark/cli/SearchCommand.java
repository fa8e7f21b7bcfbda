package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.fs.HadoopFileSource;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.sql.SparkSession;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code proxyless search}: every trainer argument as a kebab-case option, on top of
 * {@code --config FILE}, on top of NNI's defaults.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Run a ProxylessNAS search and write architecture.json, architecture-probs.json, "
                + "metrics.jsonl and _SUCCESS to --output.")
public final class SearchCommand implements Callable<Integer> {

    @Option(names = "--data", description = "IDX dataset folder (any Hadoop path); default: the Debian package's")
    String data;

    @Option(names = "--output", required = true, description = "Output folder (any Hadoop path)")
    String output;

    @Option(names = "--config", description = "YAML file of trainer arguments")
    String configFile;

    @Option(names = "--master", description = "Spark master; default: spark-submit's, else local[*]")
    String master;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Data partitions; 0 (default): one per task slot. Results do not depend on it.")
    int partitions;

    @Option(names = "--in-process", description = "Run without Spark, in this JVM")
    boolean inProcess;

    @Option(names = "--limit", description = "Use a stratified sample of N training images")
    String limit;

    @Option(names = "--model", description = "Space preset: fashion-mnist, cifar10, imagenet")
    String model;

    @Option(names = "--metrics", description = "Metrics, comma-separated (accuracy)")
    String metrics;

    @Option(names = "--loss", description = "cross_entropy")
    String loss;

    @Option(names = "--num-epochs", description = "Epochs, warmup included (default 120)")
    String numEpochs;

    @Option(names = "--warmup-epochs", description = "Weight-only epochs first (default 0)")
    String warmupEpochs;

    @Option(names = "--batch-size", description = "Global batch size (default 64)")
    String batchSize;

    @Option(names = "--workers", description = "Data-loading workers (default 4)")
    String workers;

    @Option(names = "--device", description = "cpu")
    String device;

    @Option(names = "--log-frequency", description = "Log every N weight steps (default 10)")
    String logFrequency;

    @Option(names = "--learning-rate", description = "Weight learning rate (default 0.025)")
    String learningRate;

    @Option(names = "--warmup-learning-rate", description = "Warmup learning rate (default 0.05)")
    String warmupLearningRate;

    @Option(names = "--arc-learning-rate", description = "Architecture learning rate (default 1e-3)")
    String arcLearningRate;

    @Option(names = "--grad-reg-loss-type", description = "add#linear, mul#log or none")
    String gradRegLossType;

    @Option(names = "--grad-reg-loss-params", description = "key=value pairs, e.g. lambda=0.1")
    Map<String, String> gradRegLossParams;

    @Option(names = "--applied-hardware", description = "Latency table: flops, cpu, a device or a file")
    String appliedHardware;

    @Option(names = "--dummy-input", description = "Batch,channels,height,width for latency profiling")
    String dummyInput;

    @Option(names = "--ref-latency", description = "Reference latency (default per hardware)")
    String refLatency;

    @Option(names = "--binary-mode", description = "two (default) or full_v2")
    String binaryMode;

    @Option(names = "--arch-update-frequency", description = "Architecture step every N weight steps (default 1)")
    String archUpdateFrequency;

    @Option(names = "--label-smoothing", description = "Cross-entropy label smoothing (default 0.1)")
    String labelSmoothing;

    @Option(names = "--seed", description = "Random seed (default 0)")
    String seed;

    @Override
    public Integer call() throws Exception {
        Configuration hadoop = new Configuration();
        TrainerConfig config = resolveConfig(hadoop);
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        }
        String dataPath = config.dataset().pathOrDefault();
        if (inProcess) {
            SearchRun.run(config, new HadoopFileSource(dataPath, hadoop), new HadoopOutputFolder(output, hadoop),
                    SearchRun.inProcess(config));
            return 0;
        }
        try (SparkSession spark = SparkSearch.session(master)) {
            Configuration sparkHadoop = spark.sparkContext().hadoopConfiguration();
            SparkSearch.run(spark, config, new HadoopFileSource(dataPath, sparkHadoop),
                    new HadoopOutputFolder(output, sparkHadoop), partitions);
        }
        return 0;
    }

    /** Defaults, then the YAML file, then the command line. */
    TrainerConfig resolveConfig(Configuration hadoop) throws Exception {
        TrainerConfig.Builder builder = TrainerConfig.builder();
        if (configFile != null) {
            Path path = new Path(configFile);
            try (InputStream in = path.getFileSystem(hadoop).open(path)) {
                ConfigLoader.apply(ConfigLoader.readYaml(in, configFile), builder, configFile);
            } catch (java.io.FileNotFoundException e) {
                throw new IllegalArgumentException("--config: file " + configFile + " not found", e);
            }
        }
        return ConfigLoader.apply(overrides(), builder, "command line").build();
    }

    private Map<String, Object> overrides() {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> optimizer = new LinkedHashMap<>();
        Map<String, Object> dataset = new LinkedHashMap<>();
        put(dataset, "path", data);
        put(dataset, "limit", limit);
        put(optimizer, "learning_rate", learningRate);
        put(optimizer, "warmup_learning_rate", warmupLearningRate);
        put(values, "model", model);
        put(values, "metrics", metrics);
        put(values, "loss", loss);
        put(values, "num_epochs", numEpochs);
        put(values, "warmup_epochs", warmupEpochs);
        put(values, "batch_size", batchSize);
        put(values, "workers", workers);
        put(values, "device", device);
        put(values, "log_frequency", logFrequency);
        put(values, "arc_learning_rate", arcLearningRate);
        put(values, "grad_reg_loss_type", gradRegLossType);
        if (gradRegLossParams != null) {
            values.put("grad_reg_loss_params", new LinkedHashMap<String, Object>(gradRegLossParams));
        }
        put(values, "applied_hardware", appliedHardware);
        put(values, "dummy_input", dummyInput);
        put(values, "ref_latency", refLatency);
        put(values, "binary_mode", binaryMode);
        put(values, "arch_update_frequency", archUpdateFrequency);
        put(values, "label_smoothing", labelSmoothing);
        put(values, "seed", seed);
        if (!optimizer.isEmpty()) {
            values.put("optimizer", optimizer);
        }
        if (!dataset.isEmpty()) {
            values.put("dataset", dataset);
        }
        return values;
    }

    private static void put(Map<String, Object> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}
