package io.proxyless.nas.latency;

import io.proxyless.nas.export.ArchitectureExport;
import io.proxyless.nas.space.SpaceConfig;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of every candidate of every cell plus the fixed parts, for one space: what the latency
 * loss and {@code predict-latency} need. {@code zero} costs 0.
 */
public final class SpaceLatency implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String hardware;
    private final String unit;
    private final double fixed;
    private final Map<String, double[]> cells;
    private final Map<String, List<String>> names;

    public SpaceLatency(String hardware, String unit, double fixed, Map<String, double[]> cells,
            Map<String, List<String>> names) {
        this.hardware = hardware;
        this.unit = unit;
        this.fixed = fixed;
        this.cells = new LinkedHashMap<>(cells);
        this.names = new LinkedHashMap<>(names);
    }

    /** Looks every op of the space up in an op-keyed table. */
    public static SpaceLatency of(SpaceConfig space, LatencyTable table) {
        SpaceLayout layout = new SpaceLayout(space);
        double fixed = 0;
        for (OpShape op : layout.fixed()) {
            fixed += table.cost(op.key());
        }
        Map<String, double[]> cells = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        layout.cells().forEach((label, ops) -> {
            double[] costs = new double[ops.size()];
            for (int i = 0; i < costs.length; i++) {
                costs[i] = ops.get(i) == null ? 0 : table.cost(ops.get(i).key());
            }
            cells.put(label, costs);
            names.put(label, layout.candidateNames(label));
        });
        return new SpaceLatency(table.hardware(), table.unit(), fixed, cells, names);
    }

    public String hardware() {
        return hardware;
    }

    public String unit() {
        return unit;
    }

    public double fixed() {
        return fixed;
    }

    public double[] costs(String label) {
        double[] c = cells.get(label);
        if (c == null) {
            throw new IllegalArgumentException("the latency table has no cell '" + label + "'");
        }
        return c;
    }

    public Map<String, double[]> cells() {
        return cells;
    }

    /** The latency of the cheapest network of the space: the fixed parts and each cell's cheapest candidate. */
    public double cheapest() {
        double total = fixed;
        for (double[] costs : cells.values()) {
            total += java.util.Arrays.stream(costs).min().orElse(0);
        }
        return total;
    }

    /**
     * Latency of one network, given each label's chosen candidate as {@code architecture.json} names
     * it; {@code source} names the architecture in errors.
     */
    public double of(Map<String, List<String>> exported, String source) {
        Map<String, String> architecture = ArchitectureExport.singleChoices(exported, source);
        double total = fixed;
        for (Map.Entry<String, double[]> cell : cells.entrySet()) {
            String label = cell.getKey();
            String chosen = architecture.get(label);
            if (chosen == null) {
                throw new IllegalArgumentException(source + ": no choice for cell '" + label + "'");
            }
            int index = names.get(label).indexOf(chosen);
            if (index < 0) {
                throw new IllegalArgumentException(source + ": cell '" + label + "' has no candidate '" + chosen
                        + "'; candidates: " + names.get(label));
            }
            total += cell.getValue()[index];
        }
        for (String label : architecture.keySet()) {
            if (!cells.containsKey(label)) {
                throw new IllegalArgumentException(source + ": unknown cell '" + label + "'");
            }
        }
        return total;
    }
}
