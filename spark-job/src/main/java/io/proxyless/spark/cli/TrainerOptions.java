package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.HardwareResolver;
import io.proxyless.nas.latency.SpaceLatency;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every trainer argument as a kebab-case option, on top of {@code --config FILE}, on top of NNI's
 * defaults. Shared by the commands.
 */
public final class TrainerOptions {

    @Option(names = "--config", description = "YAML file of trainer arguments")
    String configFile;

    @Option(names = "--data", description = "Training data (any Hadoop path or a table name): an IDX folder,"
            + " Parquet, a table, or an image folder root/<class>/<file>; default: the Debian package's Fashion-MNIST")
    String data;

    @Option(names = "--data-format", description = "auto (default: from what --data holds), idx, parquet, table or"
            + " image-folder")
    String dataFormat;

    @Option(names = "--image-column", description = "Table column of the image: PNG/JPEG bytes, a raw tensor as"
            + " binary, or array<float> in [0, 1] (default image)")
    String imageColumn;

    @Option(names = "--label-column", description = "Table column of the label: a class index, or a class name"
            + " (sorted into indices) (default label)")
    String labelColumn;

    @Option(names = "--mean", description = "Per-channel normalisation mean, e.g. 0.49,0.48,0.45 (default: computed"
            + " from the training rows)")
    String mean;

    @Option(names = "--std", description = "Per-channel normalisation std, with --mean")
    String std;

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

    @Option(names = "--applied-hardware",
            description = "flops, cpu, an nn-Meter device (with --latency-table) or a table file")
    String appliedHardware;

    @Option(names = "--latency-table", description = "Table file for an nn-Meter device")
    String latencyTable;

    @Option(names = "--latency-cache", description = "Folder of measured cpu tables (default ~/.cache/proxyless-spark)")
    String latencyCache;

    @Option(names = "--dummy-input", description = "Batch,channels,height,width of latency tables")
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

    @Option(names = "--shards", description = "Shards per batch: the unit of data parallelism and of batch-norm"
            + " statistics; results depend on it, not on --partitions (default 0: one per partition)")
    String shards;

    @Option(names = "--checkpoint-every", description = "A checkpoint every N weight steps and at each epoch end"
            + " (default 500)")
    String checkpointEvery;

    @Option(names = "--algorithm", description = "gradient (default: BinaryConnect gate gradients) or reinforce (the"
            + " authors' policy gradient over sampled networks)")
    String algorithm;

    @Option(names = "--reinforce-samples", description = "Networks sampled per REINFORCE architecture step (default 10)")
    String reinforceSamples;

    @Option(names = "--target-latency", description = "Export the most probable network whose table latency is"
            + " at most this (needs --applied-hardware)")
    String targetLatency;

    /** Defaults, then the YAML file, then the command line. */
    TrainerConfig resolve(Configuration hadoop) throws IOException {
        return resolve(hadoop, TrainerConfig.builder());
    }

    /** {@code base}'s defaults (a retrain's recipe, say), then the YAML file, then the command line. */
    TrainerConfig resolve(Configuration hadoop, TrainerConfig.Builder builder) throws IOException {
        if (configFile != null) {
            try {
                ConfigLoader.apply(ConfigLoader.readYaml(new java.io.ByteArrayInputStream(
                        read(configFile, hadoop).getBytes(StandardCharsets.UTF_8)), configFile), builder, configFile);
            } catch (java.io.FileNotFoundException e) {
                throw new IllegalArgumentException("--config: file " + configFile + " not found", e);
            }
        }
        return ConfigLoader.apply(overrides(), builder, "command line").build();
    }

    /** The space's latency costs for {@code applied_hardware}, or {@code null}. */
    SpaceLatency latency(TrainerConfig config, Configuration hadoop, HardwareResolver.CpuTables measurer)
            throws IOException {
        // The default is the driver's local disk, whatever the cluster's default file system is.
        String cache = latencyCache != null ? latencyCache
                : new java.io.File(System.getProperty("user.home"), ".cache/proxyless-spark").toURI().toString();
        return HardwareResolver.resolve(config, path -> read(path, hadoop),
                new io.proxyless.spark.latency.CpuTableCache(measurer, cache, hadoop));
    }

    /** A file an option names; a missing one is bad input naming the option. */
    static String readOption(String option, String file, Configuration hadoop) throws IOException {
        try {
            return read(file, hadoop);
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(option + ": file " + file + " not found", e);
        }
    }

    static String read(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Map<String, Object> overrides() {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> optimizer = new LinkedHashMap<>();
        Map<String, Object> dataset = new LinkedHashMap<>();
        put(dataset, "path", data);
        put(dataset, "limit", limit);
        put(dataset, "format", dataFormat);
        put(dataset, "image_column", imageColumn);
        put(dataset, "label_column", labelColumn);
        put(dataset, "mean", mean);
        put(dataset, "std", std);
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
        put(values, "latency_table", latencyTable);
        put(values, "dummy_input", dummyInput);
        put(values, "ref_latency", refLatency);
        put(values, "binary_mode", binaryMode);
        put(values, "arch_update_frequency", archUpdateFrequency);
        put(values, "label_smoothing", labelSmoothing);
        put(values, "seed", seed);
        put(values, "shards", shards);
        put(values, "checkpoint_every", checkpointEvery);
        put(values, "target_latency", targetLatency);
        put(values, "algorithm", algorithm);
        put(values, "reinforce_samples", reinforceSamples);
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
