package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.data.ImageLimits;
import io.proxyless.nas.latency.LatencyLoss;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.proxyless.nas.config.OptionCheck.atLeast;
import static io.proxyless.nas.config.OptionCheck.between;
import static io.proxyless.nas.config.OptionCheck.oneOf;
import static io.proxyless.nas.config.OptionType.BOOLEAN;
import static io.proxyless.nas.config.OptionType.INTEGER;
import static io.proxyless.nas.config.OptionType.INTEGERS;
import static io.proxyless.nas.config.OptionType.JSON_OBJECT;
import static io.proxyless.nas.config.OptionType.LONG;
import static io.proxyless.nas.config.OptionType.NUMBER;
import static io.proxyless.nas.config.OptionType.NUMBERS;
import static io.proxyless.nas.config.OptionType.NUMBER_MAP;
import static io.proxyless.nas.config.OptionType.STRING;
import static io.proxyless.nas.config.OptionType.STRINGS;

/**
 * Every trainer argument, each declared once (NNI's {@code ProxylessTrainer} names, then ours), in
 * the order {@code conf/search.yaml} lists them. Defaults are those of {@link TrainerConfig#builder()}.
 */
public final class ConfigOptions {

    /** The value of {@code model.preset} that gives the default space. */
    public static final List<String> PRESETS = List.of("fashion-mnist", "cifar10", "imagenet");
    public static final List<String> ALGORITHMS = List.of("gradient", "reinforce");
    public static final List<String> REINFORCE_REWARDS = List.of("soft", "hard");
    public static final List<String> LOSS_TYPES = Arrays.stream(LatencyLoss.Type.values()).map(LatencyLoss.Type::key).toList();

    /** A section option's flag from its key's last part. */
    private static final String DERIVED_FLAG = null;
    private static final OptionCheck POSITIVE = atLeast(0, true);
    private static final OptionCheck NON_NEGATIVE = atLeast(0, false);

    public static final List<ConfigOption> ALL = List.of(
            section("model.preset", "--model", STRING, true, oneOf(PRESETS), "Space preset; it sets every model key,"
                    + " which model keys given with it then override (default: the fashion-mnist space below)", c -> null),
            model("input_shape", INTEGERS, null, "Channels, height, width of the images"),
            model("num_classes", INTEGER, POSITIVE, "Classes of the classifier"),
            model("first_conv_channels", INTEGER, POSITIVE, "Channels of the first convolution"),
            model("first_conv_stride", INTEGER, POSITIVE, "Stride of the first convolution"),
            model("first_block_channels", INTEGER, POSITIVE, "Output channels of the fixed first MBConv block"),
            model("width_stages", INTEGERS, null, "Output channels of each searchable stage"),
            model("n_cell_stages", INTEGERS, null, "Searchable cells of each stage"),
            model("stride_stages", INTEGERS, null, "Stride of each stage's first cell"),
            model("candidate_ops", STRINGS, null, "Candidate ops of every cell: k{3,5,7}e{1,3,6} (kernel, expansion)"),
            model("zero_op", BOOLEAN, null, "Add the zero op (skip the cell) to cells that keep their shape"),
            model("feature_mix_channels", INTEGER, POSITIVE, "Channels of the 1x1 convolution before the classifier"),
            model("dropout_rate", NUMBER, between(0, 1, false, false), "Dropout before the classifier"),
            model("batch_norm", BOOLEAN, null, "Batch norm after every convolution"),
            model("bn_momentum", NUMBER, between(0, 1, false, true),
                    "Batch-norm running-statistics momentum (PyTorch's convention)"),
            model("bn_eps", NUMBER, POSITIVE, "Batch-norm epsilon"),
            top("space", STRING, null, true, null, "Class of your own search space (io.proxyless.nas.space.SearchSpace),"
                    + " on the classpath or in a jar given with --jars; default: the built-in MobileNetV2 family of the"
                    + " model keys"),
            top("space_params", JSON_OBJECT, "{}", false, null, "The space's parameters: a JSON object, or on the"
                    + " command line a JSON file (any Hadoop path); --set space.KEY=VALUE sets one"),
            top("loss", STRING, "cross_entropy", false, oneOf(List.of("cross_entropy")), "Training loss"),
            top("metrics", STRINGS, List.of("accuracy"), false, oneOf(List.of("accuracy")), "Metrics logged"),
            record("optimizer.learning_rate", DERIVED_FLAG, NUMBER, 0.025, false, POSITIVE,
                    "Weight learning rate of the search epochs, cosine-annealed per batch"),
            record("optimizer.warmup_learning_rate", DERIVED_FLAG, NUMBER, 0.05, false, POSITIVE,
                    "Weight learning rate of the warmup epochs"),
            record("optimizer.momentum", DERIVED_FLAG, NUMBER, 0.9, false, between(0, 1, false, false), "SGD momentum"),
            record("optimizer.nesterov", DERIVED_FLAG, BOOLEAN, true, false, null, "Nesterov momentum"),
            record("optimizer.weight_decay", DERIVED_FLAG, NUMBER, 4e-5, false, NON_NEGATIVE,
                    "L2 decay of conv and linear weights (none on batch norm and biases)"),
            top("num_epochs", INTEGER, 120, false, POSITIVE, "Epochs, warmup included"),
            record("dataset.path", "--data", STRING, null, true, null, "Labelled images, any Hadoop path or a table name:"
                    + " an IDX folder (its train files; evaluate reads its t10k files), Parquet, a table, or an image folder"
                    + " root/<class>/<file> (default: the Debian package's Fashion-MNIST)"),
            record("dataset.format", "--data-format", STRING, "auto", false, oneOf(DatasetConfig.FORMATS),
                    "How to read the data; auto: from what it holds"),
            record("dataset.image_column", DERIVED_FLAG, STRING, "image", false, null, "Table column of the image:"
                    + " PNG/JPEG bytes, a raw tensor as binary, or array<float> in [0, 1]"),
            record("dataset.label_column", DERIVED_FLAG, STRING, "label", false, null,
                    "Table column of the label: a class index, or a class name (sorted into indices)"),
            record("dataset.train_portion", DERIVED_FLAG, NUMBER, 0.5, false, between(0, 1, true, false),
                    "Share of each class for weight steps; the rest drives architecture steps"),
            record("dataset.limit", DERIVED_FLAG, INTEGER, 0, false, NON_NEGATIVE,
                    "Use a stratified sample of this many training images (0: all)"),
            record("dataset.max_image_pixels", DERIVED_FLAG, LONG, ImageLimits.DEFAULT_MAX_PIXELS, false, POSITIVE,
                    "The most pixels an encoded image may declare (width x height); a larger one is refused before it"
                    + " is decoded"),
            record("dataset.allow_empty_classes", DERIVED_FLAG, BOOLEAN, false, false, null,
                    "Leave out an image folder's class folder that holds no image, instead of refusing it"),
            record("dataset.mean", DERIVED_FLAG, NUMBERS, null, true, null,
                    "Per-channel normalisation mean, with std (default: computed from the training rows)"),
            record("dataset.std", DERIVED_FLAG, NUMBERS, null, true, null, "Per-channel normalisation std, with mean"),
            top("warmup_epochs", INTEGER, 0, false, NON_NEGATIVE, "Weight-only epochs first (at most num_epochs)"),
            top("batch_size", INTEGER, 64, false, POSITIVE, "Global batch size"),
            top("workers", INTEGER, 4, false, NON_NEGATIVE,
                    "Accepted for NNI compatibility and ignored: the data is decoded once by Spark's tasks and"
                    + " cached in memory"),
            top("device", STRING, "cpu", false, null,
                    "cpu, gpu or gpu:N; on an executor, gpu is the one Spark assigned to the task. This build"
                    + " ships libtorch for the CPU, and refuses a GPU"),
            top("log_frequency", INTEGER, 10, false, POSITIVE, "Log progress every N weight steps"),
            top("arc_learning_rate", NUMBER, 1e-3, false, POSITIVE, "Adam's learning rate on the architecture logits"),
            top("grad_reg_loss_type", STRING, null, true, oneOf(LOSS_TYPES), "Latency loss (needs applied_hardware)"),
            top("grad_reg_loss_params", NUMBER_MAP, Map.of(), false, null,
                    "Its parameters: lambda for add#linear (default 0.1); alpha, beta for mul#log (0.2, 0.3)"),
            top("applied_hardware", STRING, null, true, null,
                    "Latency table: flops, cpu (measured with DJL), onnxruntime (measured in ONNX Runtime), an nn-Meter"
                            + " device with latency_table, or a table file"),
            top("latency_table", STRING, null, true, null, "Table file for an nn-Meter device"),
            topDerived("dummy_input", INTEGERS, true, null,
                    "Batch, channels, height, width of latency tables (default: 1 and the model's input_shape)",
                    ConfigOptions::givenDummyInput),
            top("ref_latency", NUMBER, null, true, POSITIVE,
                    "Reference latency of the loss (default: the table's middle network, every cell at its middle"
                    + " candidate)"),
            top("binary_mode", STRING, "full_v2", false, oneOf(Arrays.stream(BinaryMode.values()).map(BinaryMode::key).toList()),
                    "Gate gradients of every candidate (full_v2) or of two sampled ones (two, the authors': it drifts to zero,"
                            + " docs/results.md)"),
            top("arch_update_frequency", INTEGER, 1, false, POSITIVE, "An architecture step every N weight steps"),
            top("label_smoothing", NUMBER, 0.1, false, between(0, 1, false, false), "Cross-entropy label smoothing"),
            top("seed", LONG, 0L, false, null, "Random seed: the same seed, threads and shards give the same run"),
            top("shards", INTEGER, 0, false, NON_NEGATIVE,
                    "Shards per batch: the unit of data parallelism and of batch-norm statistics; results depend"
                    + " on it, not on the partitions (0: one per partition)"),
            top("checkpoint_every", INTEGER, 500, false, POSITIVE,
                    "A checkpoint every N weight steps and at each epoch end"),
            top("target_latency", NUMBER, null, true, POSITIVE,
                    "A latency budget: export the most probable network within T, its leftover up to 0.9 T spent on"
                    + " costlier candidates, and steer the search there (needs applied_hardware)"),
            top("algorithm", STRING, "gradient", false, oneOf(ALGORITHMS),
                    "gradient (BinaryConnect gate gradients) or reinforce (the authors' policy gradient)"),
            top("reinforce_samples", INTEGER, 10, false, POSITIVE, "Networks sampled per REINFORCE architecture step"),
            top("reinforce_batch_size", INTEGER, 1000, false, POSITIVE,
                    "Architecture-split images each sampled network is scored on (the authors' 1,000)"),
            top("reinforce_reward", STRING, "soft", false, oneOf(REINFORCE_REWARDS),
                    "With target_latency, MnasNet's reward: soft acc*(lat/T)^-0.07 on both sides of T, or hard acc"
                    + " above T times (lat/T)^-1"));

    private static final Map<String, ConfigOption> BY_KEY = index(ALL);

    private ConfigOptions() {}

    /** The option of a YAML key, if there is one. */
    public static Optional<ConfigOption> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** Every option's YAML key, in declaration order. */
    static List<String> keys() {
        return List.copyOf(BY_KEY.keySet());
    }

    /** The top-level names: options and sections. */
    static Set<String> topLevelNames() {
        Set<String> names = new LinkedHashSet<>();
        ALL.forEach(o -> names.add(o.section().isEmpty() ? o.key() : o.section()));
        return names;
    }

    /** The keys within a section ({@code optimizer}: {@code learning_rate}, ...). */
    static Set<String> namesIn(String section) {
        Set<String> names = new LinkedHashSet<>();
        ALL.stream().filter(o -> o.section().equals(section)).forEach(o -> names.add(o.name()));
        return names;
    }

    static boolean isSection(String name) {
        return ALL.stream().anyMatch(o -> o.section().equals(name));
    }

    /** Every option's value in {@code config}, by key, in declaration order. */
    public static Map<String, Object> valuesOf(TrainerConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        ALL.forEach(o -> values.put(o.key(), o.valueIn(config)));
        return values;
    }

    /** The defaults: every option's value when nothing is set. */
    public static Map<String, Object> defaults() {
        return valuesOf(TrainerConfig.builder().build());
    }

    /** The first value outside its option's allowed values, as an error naming the option. */
    static void check(Map<String, Object> values) {
        for (ConfigOption o : ALL) {
            Object v = values.get(o.key());
            String problem = o.check() == null ? null : o.check().problem(v);
            if (problem != null) {
                throw new IllegalArgumentException(describe(o) + " " + problem);
            }
        }
    }

    /** {@code key (--flag)}: how errors name an option. */
    static String describe(ConfigOption o) {
        return o.key() + " (" + o.flag() + ")";
    }

    /**
     * A top-level option: a component of {@link TrainerConfig} of the key's name in camel case
     * ({@code batch_size}: {@code batchSize}), read from the configuration and set on a builder by that
     * name; {@code defaultValue} is its value when nothing sets it.
     */
    private static ConfigOption top(String key, OptionType type, Object defaultValue, boolean nullable,
            OptionCheck check, String help) {
        return new ConfigOption(key, ConfigOption.flagOf(key), type, nullable, check, help,
                config -> TrainerConfig.optionValue(config, key), defaultValue);
    }

    /** A top-level option whose default is derived from other options; {@code getter} gives null for that default. */
    private static ConfigOption topDerived(String key, OptionType type, boolean nullable, OptionCheck check, String help,
            Function<TrainerConfig, Object> getter) {
        return new ConfigOption(key, ConfigOption.flagOf(key), type, nullable, check, help, getter, null);
    }

    /**
     * An option of a section that is a record of its options (optimizer, dataset): the component of
     * the key's last part in camel case, read and built by that name; {@code defaultValue} is its
     * value when nothing sets it.
     */
    private static ConfigOption record(String key, String flag, OptionType type, Object defaultValue, boolean nullable,
            OptionCheck check, String help) {
        return new ConfigOption(key, flag != null ? flag : ConfigOption.flagOf(key), type, nullable, check, help,
                config -> TrainerConfig.optionValue(config, key), defaultValue);
    }

    /**
     * An option of the model section: a parameter of the built-in space, read back from its
     * parameters ({@code MobileNetSpace.params()}) by the same name.
     */
    private static ConfigOption model(String name, OptionType type, OptionCheck check, String help) {
        return section("model." + name, DERIVED_FLAG, type, false, check, help,
                c -> type.read(plain(c.model().params().asJson().get(name))));
    }

    /** A JSON value as a configuration file gives it: lists as lists, booleans as booleans, the rest as text. */
    private static Object plain(com.google.gson.JsonElement value) {
        if (value.isJsonArray()) {
            List<Object> items = new java.util.ArrayList<>();
            value.getAsJsonArray().forEach(item -> items.add(plain(item)));
            return items;
        }
        if (value.getAsJsonPrimitive().isBoolean()) {
            return value.getAsBoolean();
        }
        return value.getAsString();
    }

    /** An option of the model section, read by {@code getter} (the built-in space's parameters). */
    private static ConfigOption section(String key, String flag, OptionType type, boolean nullable, OptionCheck check,
            String help, Function<TrainerConfig, Object> getter) {
        return new ConfigOption(key, flag != null ? flag : ConfigOption.flagOf(key), type, nullable, check, help, getter,
                null);
    }

    private static Map<String, ConfigOption> index(List<ConfigOption> options) {
        Map<String, ConfigOption> byKey = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        for (ConfigOption o : options) {
            if (byKey.put(o.key(), o) != null || !flags.add(o.flag())) {
                throw new IllegalStateException("option declared twice: " + o.key() + " " + o.flag());
            }
        }
        return byKey;
    }

    private static Object givenDummyInput(TrainerConfig c) {
        return c.dummyInput().equals(TrainerConfig.derivedDummyInput(c.model())) ? null : c.dummyInput();
    }


    /** A float as the decimal it was written as (0.1f as 0.1, not 0.10000000149). */
    static Double f(float value) {
        return Double.valueOf(Float.toString(value));
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> listOf(Object v) {
        return (List<T>) v;
    }
}
