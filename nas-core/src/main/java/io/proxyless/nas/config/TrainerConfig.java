package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceParams;
import io.proxyless.nas.space.SpaceSpec;

import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every argument of the search, with NNI's {@code ProxylessTrainer} names and defaults, plus our
 * own ({@code binary_mode}, {@code arch_update_frequency}, {@code label_smoothing}, {@code seed}, data
 * and optimizer settings). Built with {@link #builder()} or from YAML with {@link ConfigLoader}.
 * Validation errors name the option as {@code snake_case (--kebab-case)}.
 *
 * <p>Each top-level option is declared once, in {@link ConfigOptions} (its key, type, default,
 * allowed values and help), and is the component of this record named by its key in camel case:
 * the builder sets it by its key, and {@link ConfigOptions#valuesOf} reads it by the same name.
 * The {@code model}, {@code optimizer} and {@code dataset} sections are records of their own.
 */
public record TrainerConfig(
        MobileNetSpace model,
        String space,
        String spaceParams,
        OptimizerConfig optimizer,
        DatasetConfig dataset,
        String loss,
        List<String> metrics,
        int numEpochs,
        int warmupEpochs,
        int batchSize,
        int workers,
        String device,
        int logFrequency,
        double arcLearningRate,
        String gradRegLossType,
        Map<String, Double> gradRegLossParams,
        String appliedHardware,
        String latencyTable,
        List<Integer> dummyInput,
        Double refLatency,
        BinaryMode binaryMode,
        int archUpdateFrequency,
        float labelSmoothing,
        long seed,
        int shards,
        int checkpointEvery,
        Double targetLatency,
        String algorithm,
        int reinforceSamples,
        int reinforceBatchSize,
        String reinforceReward) implements Serializable {

    private static final long serialVersionUID = 2L;

    private static final RecordOptions<TrainerConfig> OPTIONS = RecordOptions.of(TrainerConfig.class);

    /** The sections: options under a key of their own, each a record of its options. */
    static final Map<String, RecordOptions<?>> SECTIONS = Map.of(
            "optimizer", RecordOptions.of(OptimizerConfig.class),
            "dataset", RecordOptions.of(DatasetConfig.class));

    /** Lists and maps are copied, so configurations compare by value; {@code dummy_input} defaults to the model's. */
    public TrainerConfig {
        metrics = List.copyOf(metrics);
        gradRegLossParams = Map.copyOf(gradRegLossParams);
        dummyInput = dummyInput != null ? List.copyOf(dummyInput) : derivedDummyInput(model);
    }

    /** The space searched: {@code space} with its parameters, or the built-in family of the {@code model} keys. */
    public SpaceSpec spaceSpec() {
        return space == null ? model.spec()
                : new SpaceSpec(space, SpaceParams.parse(spaceParams, option("space_params")));
    }

    /** The space searched, built ({@link SpaceSpec#create}). */
    public SearchSpace searchSpace() {
        return space == null ? model : spaceSpec().create();
    }

    /** {@code dummy_input}'s default: one sample of the space's input shape. */
    static List<Integer> derivedDummyInput(MobileNetSpace model) {
        int[] input = model.inputShape();
        return List.of(1, input[0], input[1], input[2]);
    }

    /**
     * {@code name (--flag)}: how errors name an option. {@code name} is a YAML key
     * ({@code optimizer.momentum}), its last part ({@code momentum}), or a flag's name ({@code data}).
     */
    public static String option(String name) {
        String flag = ConfigOptions.ALL.stream()
                .filter(o -> o.key().equals(name) || o.name().equals(name) || o.flag().equals("--" + name.replace('_', '-')))
                .map(ConfigOption::flag).findFirst().orElse("--" + name.replace('_', '-'));
        return name + " (" + flag + ")";
    }

    private void validate() {
        // Each option's own range is declared with it; what follows relates options to each other.
        ConfigOptions.check(ConfigOptions.valuesOf(this));
        if (isReinforce() && gradRegLossType != null) {
            throw new IllegalArgumentException(option("grad_reg_loss_type") + " '" + gradRegLossType + "' is a term of the"
                    + " gradient algorithm; " + option("algorithm") + " reinforce prices latency in its reward: drop it");
        }
        if (warmupEpochs < 0 || warmupEpochs > numEpochs) {
            throw new IllegalArgumentException(
                    option("warmup_epochs") + " must be in 0.." + numEpochs + " (num_epochs), got " + warmupEpochs);
        }
        if (shards < 0 || shards > batchSize) {
            throw new IllegalArgumentException(option("shards") + " must be in 0.." + batchSize + " ("
                    + option("batch_size") + "; 0: one per partition), got " + shards);
        }
        ComputeDevice.parse(device, option("device"));
        if (gradRegLossType == null && appliedHardware != null && targetLatency == null && !isReinforce()) {
            throw new IllegalArgumentException(option("applied_hardware") + " is set but "
                    + option("grad_reg_loss_type") + " is none and there is no " + option("target_latency")
                    + ": choose add#linear or mul#log, or a target, or " + option("algorithm") + " reinforce");
        }
        if (gradRegLossType != null && appliedHardware == null) {
            throw new IllegalArgumentException(option("grad_reg_loss_type") + " '" + gradRegLossType
                    + "' needs a latency table: set " + option("applied_hardware"));
        }
        if (targetLatency != null && appliedHardware == null) {
            throw new IllegalArgumentException(option("target_latency") + " is a latency in a table: set "
                    + option("applied_hardware"));
        }
        if (space != null && space.isBlank()) {
            throw new IllegalArgumentException(option("space") + " must name a class");
        }
        if (space == null && !spaceParams.equals("{}")) {
            throw new IllegalArgumentException(option("space_params") + " are the parameters of a space of your own: set "
                    + option("space") + " too (the built-in space takes the model keys)");
        }
        if (dummyInput.size() != 4 || dummyInput.get(0) < 1) {
            throw new IllegalArgumentException(option("dummy_input") + ": expected [batch, channels, height, width]");
        }
        List<Integer> derived = derivedDummyInput(model);
        if (!dummyInput.subList(1, 4).equals(derived.subList(1, 4))) {
            throw new IllegalArgumentException(option("dummy_input") + ": sample shape " + dummyInput.subList(1, 4)
                    + " differs from the space's input_shape " + Arrays.toString(model.inputShape()));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (RecordComponent component : OPTIONS.components()) {
            b.values.put(component.getName(), OPTIONS.read(this, component));
        }
        return b;
    }

    /** The device the networks run on; whether this JVM can reach it is checked where one is built. */
    public ComputeDevice computeDevice() {
        return ComputeDevice.parse(device, option("device"));
    }

    public boolean isReinforce() {
        return "reinforce".equals(algorithm);
    }

    /**
     * An option's value as the configuration files write it ({@code binary_mode}: its key): a
     * top-level component, or a component of a section's record ({@code optimizer.momentum}).
     */
    static Object optionValue(TrainerConfig config, String key) {
        int dot = key.indexOf('.');
        Object value;
        if (dot < 0) {
            value = OPTIONS.read(config, key);
        } else {
            value = sectionValue(OPTIONS.read(config, key.substring(0, dot)), key.substring(0, dot),
                    key.substring(dot + 1));
        }
        if (value instanceof BinaryMode mode) {
            return mode.key();
        }
        if (value instanceof Float f) {
            return ConfigOptions.f(f);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> Object sectionValue(Object record, String section, String name) {
        return ((RecordOptions<R>) sectionOptions(section)).read((R) record, name);
    }

    /** A section's record from its options' values by name ({@code learning_rate}). */
    static Object section(String section, Map<String, Object> byName) {
        return sectionOptions(section).fromOptions(byName, section);
    }

    private static RecordOptions<?> sectionOptions(String section) {
        RecordOptions<?> options = SECTIONS.get(section);
        if (options == null) {
            throw new IllegalArgumentException("no section '" + section + "' of records");
        }
        return options;
    }

    /** A section's record with every option at its declared default. */
    static Object sectionDefaults(String section) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        ConfigOptions.ALL.stream().filter(o -> o.section().equals(section))
                .forEach(o -> defaults.put(o.name(), o.defaultValue()));
        return section(section, defaults);
    }

    /**
     * Builds a {@link TrainerConfig}; everything is optional, defaults are NNI's (their declarations in
     * {@link ConfigOptions}). Options are set by their YAML key; the sections as a whole.
     */
    public static final class Builder {

        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
            values.put("model", MobileNetSpace.fashionMnist());
            values.put("optimizer", sectionDefaults("optimizer"));
            values.put("dataset", sectionDefaults("dataset"));
            for (ConfigOption o : ConfigOptions.ALL) {
                if (o.section().isEmpty()) {
                    set(o.key(), o.defaultValue());
                }
            }
        }

        /**
         * Sets the top-level option {@code key} ({@code batch_size}) to {@code value}: the component's own
         * type, or what a configuration file gives for it (a number, a string, a list).
         */
        public Builder set(String key, Object value) {
            RecordComponent component = OPTIONS.component(key);
            values.put(component.getName(), RecordOptions.convert(key, value, component.getType()));
            return this;
        }

        /** The space of a spec: the built-in family's as its model keys, any other as space and space_params. */
        public Builder optSpace(SpaceSpec spec) {
            if (spec.className().equals(MobileNetSpace.class.getName())) {
                set("space", null);
                set("space_params", "{}");
                return optModel(new MobileNetSpace(spec.params()));
            }
            return set("space", spec.className()).set("space_params", spec.params().json());
        }

        public Builder optModel(MobileNetSpace model) {
            values.put("model", model);
            return this;
        }

        public Builder optOptimizer(OptimizerConfig optimizer) {
            values.put("optimizer", optimizer);
            return this;
        }

        public Builder optDataset(DatasetConfig dataset) {
            values.put("dataset", dataset);
            return this;
        }

        /** The configuration, checked: each option's allowed values, then how options relate. */
        public TrainerConfig build() {
            TrainerConfig config = OPTIONS.construct(values);
            config.validate();
            return config;
        }
    }
}
