package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLayer;
import io.proxyless.nas.config.ConfigOption;
import io.proxyless.nas.config.ConfigOptions;
import io.proxyless.nas.config.OptionType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Flags generated from the options' declarations ({@link ConfigOptions#ALL}): the flag, its
 * help, its allowed values and its default come from the one declaration, for every command that
 * takes the option.
 */
final class GeneratedFlags {

    private final Predicate<ConfigOption> which;
    /** The generated flags, by option key, once {@link #declareOn} has run. */
    private final Map<String, OptionSpec> flags = new LinkedHashMap<>();
    private final Map<String, String> overridden = new LinkedHashMap<>();

    GeneratedFlags(Predicate<ConfigOption> which) {
        this.which = which;
    }

    /** Adds a flag for each chosen option to {@code command}, with its default in {@code defaults}. */
    void declareOn(CommandSpec command, Map<String, Object> defaults) {
        for (ConfigOption o : ConfigOptions.ALL) {
            if (!which.test(o)) {
                continue;
            }
            Object value = defaults.get(o.key());
            String allowed = o.check() == null ? "" : "; " + o.check().describe();
            String description = o.help() + " (" + o.key() + allowed + "; default: "
                    + (value == null ? "unset" : OptionType.render(value)) + ")";
            OptionSpec spec = OptionSpec.builder(o.flag()).paramLabel(o.type().label()).type(String.class)
                    .description(description.replace("%", "%%")).build();
            command.addOption(spec);
            flags.put(o.key(), spec);
        }
    }

    /** The keys that have flags. */
    java.util.Set<String> keys() {
        return flags.keySet();
    }

    /** The text given for an option on the command line, or {@code null}. */
    String given(String key) {
        if (overridden.containsKey(key)) {
            return overridden.get(key);
        }
        OptionSpec spec = flags.get(key);
        return spec == null ? null : spec.getValue();
    }

    /** Replaces (or, with {@code null}, drops) what the command line gave for an option. */
    void override(String key, String value) {
        overridden.put(key, value);
    }

    /** What the command line gave, as a configuration layer (flags are named as flags in errors). */
    ConfigLayer asLayer() {
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (String key : flags.keySet()) {
            String value = given(key);
            if (value != null) {
                byKey.put(key, value);
            }
        }
        return new ConfigLayer("command line", byKey, true);
    }
}
