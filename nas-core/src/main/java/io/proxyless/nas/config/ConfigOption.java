package io.proxyless.nas.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One trainer argument, declared once: its YAML key (dotted for nested sections, as
 * {@code optimizer.learning_rate}), its command-line flag, its type, the values it allows, a one-line
 * help, its default, and how to read it from a {@link TrainerConfig}; a top-level option is also the
 * {@link TrainerConfig} component of its name. The YAML reader, the command line, {@code --help}, {@code config --show},
 * {@code conf/search.yaml} and the README's reference all come from {@link ConfigOptions#ALL}.
 *
 * @param key the YAML key, dotted inside a section
 * @param flag the command-line flag, {@code --} and the key's last part in kebab case unless named
 * @param nullable whether the option may be unset ({@code null}, or {@code none} on the command line)
 * @param check the values allowed, or {@code null} for any of its type
 * @param getter the option's value in a configuration
 * @param defaultValue a top-level option's value when nothing sets it ({@code null}: unset, or derived);
 *     the options of the {@code model}, {@code optimizer} and {@code dataset} sections take theirs
 *     from the section's defaults and are assembled as a whole
 */
public record ConfigOption(String key, String flag, OptionType type, boolean nullable, OptionCheck check, String help,
        Function<TrainerConfig, Object> getter, Object defaultValue) {

    /** The flag a key gets when the declaration names none: {@code --} and its last part, in kebab case. */
    static String flagOf(String key) {
        return "--" + key.substring(key.lastIndexOf('.') + 1).replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** The section a key sits in ({@code optimizer} for {@code optimizer.momentum}), or {@code ""}. */
    public String section() {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** The key within its section. */
    public String name() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The value in {@code config}. */
    public Object valueIn(TrainerConfig config) {
        return getter.apply(config);
    }
}
