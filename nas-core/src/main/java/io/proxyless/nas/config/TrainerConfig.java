package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.space.SpaceConfig;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
        SpaceConfig model,
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

    private static final RecordComponent[] COMPONENTS = TrainerConfig.class.getRecordComponents();
    private static final Map<String, RecordComponent> BY_NAME = new LinkedHashMap<>();

    static {
        for (RecordComponent component : COMPONENTS) {
            BY_NAME.put(component.getName(), component);
        }
    }

    /** Lists and maps are copied, so configurations compare by value; {@code dummy_input} defaults to the model's. */
    public TrainerConfig {
        metrics = List.copyOf(metrics);
        gradRegLossParams = Map.copyOf(gradRegLossParams);
        dummyInput = dummyInput != null ? List.copyOf(dummyInput) : derivedDummyInput(model);
    }

    /** {@code dummy_input}'s default: one sample of the space's input shape. */
    static List<Integer> derivedDummyInput(SpaceConfig model) {
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
        for (RecordComponent component : COMPONENTS) {
            b.values.put(component.getName(), read(this, component));
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

    /** A top-level option's value as the configuration files write it ({@code binary_mode}: its key). */
    static Object optionValue(TrainerConfig config, String key) {
        Object value = read(config, component(key));
        if (value instanceof BinaryMode mode) {
            return mode.key();
        }
        if (value instanceof Float f) {
            return ConfigOptions.f(f);
        }
        return value;
    }

    private static RecordComponent component(String key) {
        RecordComponent component = BY_NAME.get(camelCase(key));
        if (component == null) {
            throw new IllegalArgumentException("no top-level option '" + key + "'");
        }
        return component;
    }

    private static String camelCase(String key) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static Object read(TrainerConfig config, RecordComponent component) {
        try {
            return component.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Builds a {@link TrainerConfig}; everything is optional, defaults are NNI's (their declarations in
     * {@link ConfigOptions}). Options are set by their YAML key; the sections as a whole.
     */
    public static final class Builder {

        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
            values.put("model", SpaceConfig.fashionMnist());
            values.put("optimizer", OptimizerConfig.defaults());
            values.put("dataset", DatasetConfig.defaults());
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
            RecordComponent component = component(key);
            values.put(component.getName(), convert(key, value, component));
            return this;
        }

        public Builder optModel(SpaceConfig model) {
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
            Object[] args = new Object[COMPONENTS.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = values.get(COMPONENTS[i].getName());
            }
            TrainerConfig config;
            try {
                config = CANONICAL.newInstance(args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            config.validate();
            return config;
        }

        private static Object convert(String key, Object value, RecordComponent component) {
            Class<?> type = component.getType();
            if (value == null) {
                if (type.isPrimitive()) {
                    throw new IllegalArgumentException(option(key) + " must be set");
                }
                return null;
            }
            try {
                if (type == int.class) {
                    return Math.toIntExact(((Number) value).longValue());
                } else if (type == long.class) {
                    return ((Number) value).longValue();
                } else if (type == double.class || type == Double.class) {
                    return ((Number) value).doubleValue();
                } else if (type == float.class) {
                    return ((Number) value).floatValue();
                } else if (type == BinaryMode.class) {
                    return value instanceof BinaryMode mode ? mode : BinaryMode.parse((String) value);
                } else if (type == List.class && value instanceof int[] ints) {
                    return Arrays.stream(ints).boxed().toList();
                }
                return type.cast(value);
            } catch (ClassCastException e) {
                throw new IllegalArgumentException(option(key) + ": " + value + " is not a "
                        + type.getSimpleName().toLowerCase(Locale.ROOT), e);
            }
        }
    }

    private static final Constructor<TrainerConfig> CANONICAL;

    static {
        try {
            CANONICAL = TrainerConfig.class.getDeclaredConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
