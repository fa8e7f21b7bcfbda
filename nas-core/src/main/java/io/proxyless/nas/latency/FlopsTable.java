package io.proxyless.nas.latency;

import io.proxyless.nas.space.OpShape;
import io.proxyless.nas.space.SpaceConfig;
import io.proxyless.nas.space.SpaceLayout;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code applied_hardware: flops}: multiply-accumulates in millions, exact from shapes, per sample times batch. */
public final class FlopsTable {

    public static final String HARDWARE = "flops";

    private FlopsTable() {}

    public static LatencyTable forSpace(SpaceConfig space, int batch) {
        Map<String, Double> entries = new LinkedHashMap<>();
        for (OpShape op : new SpaceLayout(space).distinctOps()) {
            entries.put(op.key(), op.megaMacs() * batch);
        }
        return new LatencyTable(HARDWARE, "MMACs", "flops (computed)", entries);
    }
}
