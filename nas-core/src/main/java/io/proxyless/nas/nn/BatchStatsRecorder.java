package io.proxyless.nas.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch statistics that normalisation layers saw in one step, keyed by the layer's running-mean
 * parameter name. The driver merges them into the running statistics; layers never update running
 * statistics themselves, so a step cannot touch the statistics of ops that did not run.
 */
public final class BatchStatsRecorder {

    private final Map<BatchNorm2dLayer, BatchStats> stats = new LinkedHashMap<>();

    void record(BatchNorm2dLayer layer, BatchStats batch) {
        stats.merge(layer, batch, BatchStats::merge);
    }

    /** The recorded statistics by layer. */
    public Map<BatchNorm2dLayer, BatchStats> byLayer() {
        return stats;
    }
}
