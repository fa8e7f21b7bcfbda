package io.proxyless.nas.config;

import java.util.Map;

/**
 * One source of trainer arguments, before it is merged: a YAML file, the command line's flags, or
 * its {@code --set} assignments. Values are raw (YAML values or command-line text) by option key;
 * {@link ConfigLoader#merge} reads them with their options' types.
 *
 * @param source names the layer in errors ({@code conf/search.yaml}, {@code command line})
 * @param byFlag whether errors name an option by its flag ({@code --batch-size}) rather than its key
 */
public record ConfigLayer(String source, Map<String, Object> values, boolean byFlag) {

    public ConfigLayer {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** Where {@code option} was given, for an error: {@code conf/a.yaml: key 'batch_size'}. */
    String where(ConfigOption option) {
        return source + ": " + (byFlag ? "option " + option.flag() : "key '" + option.key() + "'");
    }
}
