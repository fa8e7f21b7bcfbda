package io.proxyless.nas.config;

import java.util.Map;

/** The README's table of every option: key, flag, default, allowed values and help, from {@link ConfigOptions#ALL}. */
public final class ConfigReference {

    private ConfigReference() {}

    public static String markdown() {
        Map<String, Object> defaults = ConfigOptions.defaults();
        StringBuilder out = new StringBuilder("| key | command line | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (ConfigOption o : ConfigOptions.ALL) {
            Object value = defaults.get(o.key());
            out.append("| `").append(o.key()).append("` | `").append(o.flag()).append(' ').append(o.type().label())
                    .append("` | ").append(value == null ? "unset" : "`" + OptionType.render(value) + "`").append(" | ")
                    .append(o.check() == null ? "" : o.check().describe().replace("|", "\\|")).append(" | ")
                    .append(o.help().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
