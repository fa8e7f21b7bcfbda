package io.proxyless.nas.config;

import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.space.SpaceParams;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads trainer arguments into {@link ConfigLayer}s (a YAML file with NNI's snake_case keys, the
 * command line, {@code --set key=value}) and merges them: the base configuration's values (the
 * defaults, or a retrain's recipe), then each layer in turn, then one validation of the merged
 * result. Every option is one {@link ConfigOption} of {@link ConfigOptions#ALL}; errors name the
 * source and the key or flag, with the closest known key when one is near.
 */
public final class ConfigLoader {

    private static final String PRESET = "model.preset";

    private ConfigLoader() {}

    /** Parses a YAML (or JSON) document into a map; {@code source} names it in errors. */
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

    /** A YAML document's trainer arguments: sections ({@code optimizer: {...}}) are read into dotted keys. */
    public static ConfigLayer fromYaml(Map<String, Object> document, String source) {
        Map<String, Object> values = new LinkedHashMap<>();
        document.forEach((key, value) -> {
            if (ConfigOptions.byKey(key).isPresent()) {
                values.put(key, value);
            } else if (key.equals("model") && !(value instanceof Map<?, ?>)) {
                values.put(PRESET, value);
            } else if (ConfigOptions.isSection(key)) {
                if (!(value instanceof Map<?, ?> section)) {
                    throw new IllegalArgumentException(source + ": key '" + key + "' expects a mapping, got '" + value + "'");
                }
                section.forEach((name, v) -> {
                    if (ConfigOptions.byKey(key + "." + name).isEmpty()) {
                        throw unknown(source, key + "." + name, (String) name, ConfigOptions.namesIn(key));
                    }
                    values.put(key + "." + name, v);
                });
            } else {
                throw unknown(source, key, key, ConfigOptions.topLevelNames());
            }
        });
        return new ConfigLayer(source, values, false);
    }

    /** A YAML text read on top of {@code base}: what the Spark ML estimators take. */
    public static TrainerConfig fromYamlText(TrainerConfig base, String yaml, String source) {
        Map<String, Object> document = readYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), source);
        return merge(base, List.of(fromYaml(document, source)));
    }

    /** {@code --set key=value} assignments: any option by its YAML key, {@code model=cifar10} for the preset. */
    public static ConfigLayer fromAssignments(List<String> assignments, String source) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(source + ": expected key=value, got '" + assignment + "'");
            }
            String key = assignment.substring(0, eq).trim();
            key = key.equals("model") ? PRESET : key;
            if (ConfigOptions.byKey(key).isEmpty()) {
                throw unknown(source, key, key, ConfigOptions.keys());
            }
            values.put(key, assignment.substring(eq + 1));
        }
        return new ConfigLayer(source, values, false);
    }

    /**
     * {@code base}'s values, then each layer's, then one validation. A layer's {@code model.preset}
     * replaces every model key before that layer's own model keys apply.
     */
    public static TrainerConfig merge(TrainerConfig base, List<ConfigLayer> layers) {
        Map<String, Object> values = new LinkedHashMap<>(ConfigOptions.valuesOf(base));
        for (ConfigLayer layer : layers) {
            if (layer.values().containsKey(PRESET)) {
                ConfigOption preset = ConfigOptions.byKey(PRESET).orElseThrow();
                String name = (String) read(preset, layer.values().get(PRESET), layer);
                if (name != null) {
                    String problem = preset.check().problem(name);
                    if (problem != null) {
                        throw new IllegalArgumentException(layer.where(preset) + " " + problem);
                    }
                    values.putAll(modelValues(MobileNetSpace.preset(name)));
                }
                values.put(PRESET, name);
            }
            layer.values().forEach((key, raw) -> {
                if (!key.equals(PRESET)) {
                    ConfigOption option = ConfigOptions.byKey(key).orElseThrow(
                            () -> unknown(layer.source(), key, key, ConfigOptions.keys()));
                    values.put(key, read(option, raw, layer));
                }
            });
        }
        // Building the configuration checks every option's range, once, on the merged values.
        return assemble(values);
    }

    /** A space written under the {@code model} keys, as {@link #readModel} and a YAML file read it back. */
    public static Map<String, Object> modelKeys(MobileNetSpace space) {
        Map<String, Object> keys = new LinkedHashMap<>();
        modelValues(space).forEach((key, value) -> keys.put(key.substring("model.".length()), value));
        return keys;
    }

    /** Reads a space from {@code model} keys ({@link #modelKeys}) or a preset name; errors name {@code source} and the key. */
    public static MobileNetSpace readModel(Object value, String source) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("model", value);
        return merge(TrainerConfig.builder().build(), List.of(fromYaml(document, source))).model();
    }

    private static Map<String, Object> modelValues(MobileNetSpace space) {
        Map<String, Object> values = new LinkedHashMap<>();
        ConfigOptions.valuesOf(TrainerConfig.builder().optModel(space).build()).forEach((key, value) -> {
            if (key.startsWith("model.") && !key.equals(PRESET)) {
                values.put(key, value);
            }
        });
        return values;
    }

    private static Object read(ConfigOption option, Object raw, ConfigLayer layer) {
        if (raw == null || (option.nullable() && "none".equals(raw))) {
            if (option.nullable()) {
                return null;
            }
            throw new IllegalArgumentException(layer.where(option) + " must be set: it takes " + option.type().label());
        }
        try {
            return option.type().read(raw);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(layer.where(option) + " " + e.getMessage(), e);
        }
    }

    /** A section's values by option name ({@code learning_rate}). */
    private static Map<String, Object> section(Map<String, Object> v, String section) {
        Map<String, Object> values = new LinkedHashMap<>();
        ConfigOptions.ALL.stream().filter(o -> o.section().equals(section)).forEach(o -> values.put(o.name(), v.get(o.key())));
        return values;
    }

    /**
     * The configuration of merged values: top-level options and the record sections by their
     * declarations; the model section as the built-in space's parameters.
     */
    private static TrainerConfig assemble(Map<String, Object> v) {
        TrainerConfig.Builder b = TrainerConfig.builder();
        for (ConfigOption o : ConfigOptions.ALL) {
            if (o.section().isEmpty()) {
                b.set(o.key(), v.get(o.key()));
            }
        }
        // The model section is the built-in space's parameters, by name.
        Map<String, Object> model = new LinkedHashMap<>();
        section(v, "model").forEach((name, value) -> {
            if (value != null && !name.equals("preset")) {
                model.put(name, value);
            }
        });
        MobileNetSpace space = new MobileNetSpace(SpaceParams.of(model));
        OptimizerConfig optimizer = (OptimizerConfig) TrainerConfig.section("optimizer", section(v, "optimizer"));
        DatasetConfig dataset = (DatasetConfig) TrainerConfig.section("dataset", section(v, "dataset"));
        return b.optModel(space).optOptimizer(optimizer).optDataset(dataset).build();
    }

    private static IllegalArgumentException unknown(String source, String key, String name, Collection<String> known) {
        return new IllegalArgumentException(source + ": unknown key '" + key + "'" + Suggestion.forKey(name, known)
                + "; known keys: " + new TreeSet<>(known));
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
}
