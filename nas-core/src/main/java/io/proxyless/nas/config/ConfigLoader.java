package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.space.SpaceConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads trainer arguments from YAML (snake_case keys, as NNI names them) and applies them, or
 * command-line overrides with the same keys, to a {@link TrainerConfig.Builder}. Every error names
 * the source and the key.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_LEVEL = Set.of(
            "model", "loss", "metrics", "optimizer", "num_epochs", "dataset", "warmup_epochs", "batch_size",
            "workers", "device", "log_frequency", "arc_learning_rate", "grad_reg_loss_type",
            "grad_reg_loss_params", "applied_hardware", "latency_table", "dummy_input", "ref_latency", "binary_mode",
            "arch_update_frequency", "label_smoothing", "seed", "shards", "checkpoint_every", "target_latency",
            "algorithm", "reinforce_samples");
    private static final Set<String> MODEL_KEYS = Set.of(
            "preset", "input_shape", "num_classes", "first_conv_channels", "first_conv_stride",
            "first_block_channels", "width_stages", "n_cell_stages", "stride_stages", "candidate_ops", "zero_op",
            "feature_mix_channels", "dropout_rate", "batch_norm", "bn_momentum", "bn_eps");
    private static final Set<String> OPTIMIZER_KEYS =
            Set.of("learning_rate", "warmup_learning_rate", "momentum", "nesterov", "weight_decay");
    private static final Set<String> DATASET_KEYS = Set.of("path", "format", "image_column", "label_column", "train_portion",
            "limit", "mean", "std");

    private ConfigLoader() {}

    /** Parses a YAML document into a map; {@code source} names it in errors. */
    public static Map<String, Object> readYaml(InputStream in, String source) {
        try {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (doc == null) {
                return Map.of();
            }
            if (!(doc instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(source + ": expected a mapping of trainer arguments at the top level");
            }
            return stringKeys(map, source, "");
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Applies a map of arguments (from YAML or the command line) on top of a builder. */
    public static TrainerConfig.Builder apply(Map<String, Object> values, TrainerConfig.Builder builder, String source) {
        // Nested settings are read from the builder, not from a built config: building here would
        // validate the file's values before the command line overrides them.
        Reader r = new Reader(source);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "model" -> builder.optModel(model(v, builder.model(), r));
                case "loss" -> builder.optLoss(r.string(key, v));
                case "metrics" -> builder.optMetrics(r.strings(key, v));
                case "optimizer" -> builder.optOptimizer(optimizer(r.map(key, v), builder.optimizer(), r));
                case "num_epochs" -> builder.optNumEpochs(r.integer(key, v));
                case "dataset" -> builder.optDataset(dataset(r.map(key, v), builder.dataset(), r));
                case "warmup_epochs" -> builder.optWarmupEpochs(r.integer(key, v));
                case "batch_size" -> builder.optBatchSize(r.integer(key, v));
                case "workers" -> builder.optWorkers(r.integer(key, v));
                case "device" -> builder.optDevice(r.string(key, v));
                case "log_frequency" -> builder.optLogFrequency(r.integer(key, v));
                case "arc_learning_rate" -> builder.optArcLearningRate(r.number(key, v));
                case "grad_reg_loss_type" -> builder.optGradRegLossType(v == null ? null : r.string(key, v));
                case "grad_reg_loss_params" -> builder.optGradRegLossParams(numbers(r.map(key, v), r, key));
                case "applied_hardware" -> builder.optAppliedHardware(v == null ? null : r.string(key, v));
                case "latency_table" -> builder.optLatencyTable(v == null ? null : r.string(key, v));
                case "dummy_input" -> builder.optDummyInput(r.ints(key, v));
                case "ref_latency" -> builder.optRefLatency(v == null ? null : r.number(key, v));
                case "binary_mode" -> builder.optBinaryMode(BinaryMode.parse(r.string(key, v)));
                case "arch_update_frequency" -> builder.optArchUpdateFrequency(r.integer(key, v));
                case "label_smoothing" -> builder.optLabelSmoothing((float) r.number(key, v));
                case "seed" -> builder.optSeed(r.integer(key, v));
                case "shards" -> builder.optShards(r.integer(key, v));
                case "checkpoint_every" -> builder.optCheckpointEvery(r.integer(key, v));
                case "target_latency" -> builder.optTargetLatency(v == null ? null : r.number(key, v));
                case "algorithm" -> builder.optAlgorithm(r.string(key, v));
                case "reinforce_samples" -> builder.optReinforceSamples(r.integer(key, v));
                default -> throw new IllegalArgumentException(
                        source + ": unknown key '" + key + "'" + Suggestion.forKey(key, TOP_LEVEL) + "; known keys: "
                                + new java.util.TreeSet<>(TOP_LEVEL));
            }
        }
        return builder;
    }

    /** A space written under the {@code model} keys, as {@link #readModel} and a YAML file read it back. */
    public static Map<String, Object> modelKeys(SpaceConfig space) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_shape", toList(space.inputShape()));
        m.put("num_classes", space.numClasses());
        m.put("first_conv_channels", space.firstConvChannels());
        m.put("first_conv_stride", space.firstConvStride());
        m.put("first_block_channels", space.firstBlockChannels());
        m.put("width_stages", toList(space.widthStages()));
        m.put("n_cell_stages", toList(space.nCellStages()));
        m.put("stride_stages", toList(space.strideStages()));
        m.put("candidate_ops", space.candidateOps());
        m.put("zero_op", space.zeroOp());
        m.put("feature_mix_channels", space.featureMixChannels());
        m.put("dropout_rate", (double) space.dropoutRate());
        m.put("batch_norm", space.norm().enabled());
        m.put("bn_momentum", (double) space.norm().momentum());
        m.put("bn_eps", (double) space.norm().eps());
        return m;
    }

    /** Reads a space from {@code model} keys ({@link #modelKeys}); errors name {@code source} and the key. */
    public static SpaceConfig readModel(Object value, String source) {
        return model(value, SpaceConfig.builder().build(), new Reader(source));
    }

    private static List<Integer> toList(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    private static SpaceConfig model(Object value, SpaceConfig current, Reader r) {
        if (value instanceof String preset) {
            return SpaceConfig.preset(preset);
        }
        Map<String, Object> m = r.map("model", value);
        r.checkKeys("model", m, MODEL_KEYS);
        SpaceConfig base = m.containsKey("preset") ? SpaceConfig.preset(r.string("model.preset", m.get("preset"))) : current;
        SpaceConfig.Builder b = base.toBuilder();
        int[] widths = base.widthStages();
        int[] cells = base.nCellStages();
        int[] strides = base.strideStages();
        int firstConv = base.firstConvChannels();
        int firstStride = base.firstConvStride();
        NormConfig norm = base.norm();
        boolean bn = norm.enabled();
        float bnMomentum = norm.momentum();
        float bnEps = norm.eps();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = "model." + e.getKey();
            Object v = e.getValue();
            switch (e.getKey()) {
                case "input_shape" -> b.optInputShape(r.ints(key, v));
                case "num_classes" -> b.optNumClasses(r.integer(key, v));
                case "first_conv_channels" -> firstConv = r.integer(key, v);
                case "first_conv_stride" -> firstStride = r.integer(key, v);
                case "first_block_channels" -> b.optFirstBlockChannels(r.integer(key, v));
                case "width_stages" -> widths = r.ints(key, v);
                case "n_cell_stages" -> cells = r.ints(key, v);
                case "stride_stages" -> strides = r.ints(key, v);
                case "candidate_ops" -> b.optCandidateOps(r.strings(key, v));
                case "zero_op" -> b.optZeroOp(r.bool(key, v));
                case "feature_mix_channels" -> b.optFeatureMixChannels(r.integer(key, v));
                case "dropout_rate" -> b.optDropoutRate((float) r.number(key, v));
                case "batch_norm" -> bn = r.bool(key, v);
                case "bn_momentum" -> bnMomentum = (float) r.number(key, v);
                case "bn_eps" -> bnEps = (float) r.number(key, v);
                default -> { }
            }
        }
        return b.optFirstConv(firstConv, firstStride)
                .optStages(widths, cells, strides)
                .optNorm(new NormConfig(bn, bnMomentum, bnEps))
                .build();
    }

    private static OptimizerConfig optimizer(Map<String, Object> m, OptimizerConfig c, Reader r) {
        r.checkKeys("optimizer", m, OPTIMIZER_KEYS);
        return new OptimizerConfig(
                m.containsKey("learning_rate") ? r.number("optimizer.learning_rate", m.get("learning_rate")) : c.learningRate(),
                m.containsKey("warmup_learning_rate")
                        ? r.number("optimizer.warmup_learning_rate", m.get("warmup_learning_rate"))
                        : c.warmupLearningRate(),
                m.containsKey("momentum") ? (float) r.number("optimizer.momentum", m.get("momentum")) : c.momentum(),
                m.containsKey("nesterov") ? r.bool("optimizer.nesterov", m.get("nesterov")) : c.nesterov(),
                m.containsKey("weight_decay") ? (float) r.number("optimizer.weight_decay", m.get("weight_decay")) : c.weightDecay());
    }

    private static DatasetConfig dataset(Map<String, Object> m, DatasetConfig c, Reader r) {
        r.checkKeys("dataset", m, DATASET_KEYS);
        return new DatasetConfig(
                m.containsKey("path") ? r.string("dataset.path", m.get("path")) : c.path(),
                m.containsKey("format") ? r.string("dataset.format", m.get("format")) : c.format(),
                m.containsKey("image_column") ? r.string("dataset.image_column", m.get("image_column")) : c.imageColumn(),
                m.containsKey("label_column") ? r.string("dataset.label_column", m.get("label_column")) : c.labelColumn(),
                m.containsKey("train_portion") ? r.number("dataset.train_portion", m.get("train_portion")) : c.trainPortion(),
                m.containsKey("limit") ? r.integer("dataset.limit", m.get("limit")) : c.limit(),
                m.containsKey("mean") ? r.floats("dataset.mean", m.get("mean")) : c.mean(),
                m.containsKey("std") ? r.floats("dataset.std", m.get("std")) : c.std());
    }

    private static Map<String, Double> numbers(Map<String, Object> m, Reader r, String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, r.number(key + "." + k, v)));
        return out;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map, String source, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException(source + ": key '" + prefix + k + "' is not a string");
            }
            out.put(s, v instanceof Map<?, ?> nested ? stringKeys(nested, source, prefix + s + ".") : v);
        });
        return out;
    }

    /** Typed reads with errors that name the source and key. */
    private record Reader(String source) {

        IllegalArgumentException error(String key, String expected, Object v) {
            return new IllegalArgumentException(
                    source + ": key '" + key + "' expects " + expected + ", got '" + v + "'");
        }

        int integer(String key, Object v) {
            if (v instanceof Integer || v instanceof Long) {
                return Math.toIntExact(((Number) v).longValue());
            }
            if (v instanceof String s) {
                try {
                    return Integer.parseInt(s.trim());
                } catch (NumberFormatException e) {
                    throw error(key, "an integer", v);
                }
            }
            throw error(key, "an integer", v);
        }

        double number(String key, Object v) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw error(key, "a number", v);
                }
            }
            throw error(key, "a number", v);
        }

        boolean bool(String key, Object v) {
            if (v instanceof Boolean b) {
                return b;
            }
            if ("true".equals(v) || "false".equals(v)) {
                return Boolean.parseBoolean((String) v);
            }
            throw error(key, "true or false", v);
        }

        String string(String key, Object v) {
            if (v instanceof String || v instanceof Number) {
                return v.toString();
            }
            throw error(key, "a string", v);
        }

        List<String> strings(String key, Object v) {
            if (v instanceof String s) {
                return List.of(s.split("\\s*,\\s*"));
            }
            if (v instanceof List<?> list) {
                return list.stream().map(item -> string(key, item)).toList();
            }
            throw error(key, "a list of strings", v);
        }

        int[] ints(String key, Object v) {
            if (v instanceof String s) {
                return java.util.Arrays.stream(s.replaceAll("[\\[\\]\\s]", "").split(","))
                        .mapToInt(item -> integer(key, item)).toArray();
            }
            if (v instanceof List<?> list) {
                return list.stream().mapToInt(item -> integer(key, item)).toArray();
            }
            throw error(key, "a list of integers", v);
        }

        /** One number or a list of them ("0.49,0.48,0.45" on the command line). */
        float[] floats(String key, Object v) {
            List<?> items = v instanceof List<?> list ? list
                    : v instanceof String s ? List.of(s.replaceAll("[\\[\\]\\s]", "").split(",")) : List.of(v);
            float[] out = new float[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) number(key, items.get(i));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key, Object v) {
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw error(key, "a mapping", v);
        }

        void checkKeys(String section, Map<String, Object> m, Set<String> known) {
            for (String k : m.keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException(source + ": unknown key '" + section + "." + k + "'"
                            + Suggestion.forKey(k, known) + "; known keys: " + new java.util.TreeSet<>(known));
                }
            }
        }
    }
}
