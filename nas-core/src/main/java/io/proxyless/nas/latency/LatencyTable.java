package io.proxyless.nas.latency;

import io.proxyless.nas.mobilenet.OpShape;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Costs of ops by key ({@link OpShape#key()}), in the table's unit (ms, or MFLOPs for
 * {@code flops}), valid for one hardware, batch size and input shape. A missing key is an error
 * that names it: never a silent default (the authors' code used 200 ms).
 */
public final class LatencyTable implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String hardware;
    private final String unit;
    private final String source;
    private final Map<String, Double> entries;

    public LatencyTable(String hardware, String unit, String source, Map<String, Double> entries) {
        this.hardware = hardware;
        this.unit = unit;
        this.source = source;
        this.entries = new LinkedHashMap<>(entries);
    }

    public double cost(String key) {
        Double value = entries.get(key);
        if (value == null) {
            throw new IllegalArgumentException("latency table " + source + " (" + hardware + ") has no entry for '"
                    + key + "'; it was made for another space, input shape or channel plan");
        }
        return value;
    }

    public String hardware() {
        return hardware;
    }

    public String unit() {
        return unit;
    }

    public String source() {
        return source;
    }

    public Map<String, Double> entries() {
        return entries;
    }
}
