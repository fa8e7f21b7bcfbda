package io.proxyless.nas.latency;

import ai.djl.nn.Block;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code applied_hardware: flops}: multiply-accumulates in millions, exact from shapes, per sample times batch. */
public final class FlopsTable {

    public static final String HARDWARE = "flops";
    public static final String UNIT = "MMACs";

    private FlopsTable() {}

    /** The built-in family by op (from its layer shapes), any other space by cell ({@link #byCell}). */
    public static LatencyTable forSpace(SearchSpace space, int batch) {
        if (space instanceof MobileNetSpace builtIn) {
            Map<String, Double> entries = new LinkedHashMap<>();
            for (OpShape op : builtIn.layout().distinctOps()) {
                entries.put(op.key(), op.megaMacs() * batch);
            }
            return new LatencyTable(HARDWARE, UNIT, "flops (computed)", entries);
        }
        return byCell(space, batch);
    }

    /**
     * Any space's count, by walking its blocks at the space's input shape ({@link MacCounter}): each
     * candidate of each layer choice ({@code LABEL/CANDIDATE}), and the rest of the model once
     * ({@code fixed}).
     */
    public static LatencyTable byCell(SearchSpace space, int batch) {
        Map<String, Double> entries = new LinkedHashMap<>();
        try (Supernet supernet = Supernet.of(space)) {
            entries.put(SpaceLatency.FIXED, mega(MacCounter.countOutsideChoices(supernet.block(), ""), batch));
            for (Map.Entry<String, Choice> e : supernet.choices().entrySet()) {
                if (e.getValue() instanceof LayerChoice choice) {
                    String path = supernet.choicePaths().get(e.getKey()).get(0);
                    for (int i = 0; i < choice.numCandidates(); i++) {
                        String name = choice.candidateNames().get(i);
                        Block candidate = choice.candidate(i);
                        entries.put(SpaceCells.key(e.getKey(), name),
                                mega(MacCounter.count(candidate, path + "/" + name), batch));
                    }
                }
            }
        }
        return new LatencyTable(HARDWARE, UNIT, "flops (counted from the model)", entries);
    }

    private static double mega(long macs, int batch) {
        return macs / 1e6 * batch;
    }
}
