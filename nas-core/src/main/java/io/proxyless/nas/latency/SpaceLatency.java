package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.space.SearchSpace;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

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

    /**
     * Looks the space up in a table: by op (the built-in family's tables, by each layer's shape), or
     * by cell ({@code fixed} and {@code LABEL/CANDIDATE}, the tables measured or counted for a space
     * of one's own).
     */
    public static SpaceLatency of(SearchSpace space, LatencyTable table) {
        if (space instanceof MobileNetSpace builtIn && !table.entries().containsKey(FIXED)) {
            return of(builtIn.layout(), table);
        }
        return byCell(SpaceCells.of(space), table);
    }

    /** The key of the part outside the cells in a table by cell. */
    public static final String FIXED = "fixed";

    static SpaceLatency byCell(SpaceCells space, LatencyTable table) {
        Map<String, double[]> cells = new LinkedHashMap<>();
        space.names().forEach((label, candidates) -> {
            double[] costs = new double[candidates.size()];
            for (int i = 0; i < costs.length; i++) {
                String key = SpaceCells.key(label, candidates.get(i));
                costs[i] = space.isFree(label, i) && !table.entries().containsKey(key) ? 0 : table.cost(key);
            }
            cells.put(label, costs);
        });
        return new SpaceLatency(table.hardware(), table.unit(), table.cost(FIXED), cells, space.names());
    }

    /** Looks every op of a built-in space up in an op-keyed table. */
    public static SpaceLatency of(SpaceLayout layout, LatencyTable table) {
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

    /**
     * The SHA-256 of every cost, the unit and the hardware: a checkpoint records it, so a resume under
     * other costs (a {@code cpu} table measured on another machine) is refused.
     */
    public String digest() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            StringBuilder text = new StringBuilder(hardware + "\n" + unit + "\n" + Double.doubleToLongBits(fixed));
            cells.forEach((label, costs) -> {
                text.append('\n').append(label).append(names.get(label));
                for (double c : costs) {
                    text.append(' ').append(Double.doubleToLongBits(c));
                }
            });
            return java.util.HexFormat.of().formatHex(sha.digest(text.toString().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    /** The latency of the costliest network of the space: the fixed parts and each cell's costliest candidate. */
    public double costliest() {
        double total = fixed;
        for (double[] costs : cells.values()) {
            total += java.util.Arrays.stream(costs).max().orElse(0);
        }
        return total;
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

    /**
     * The latency of the most probable network: each cell's likeliest candidate, as
     * {@link ArchitectureParameters#chosen} picks it.
     */
    public double mostProbable(ArchitectureParameters arch) {
        double total = fixed;
        for (Map.Entry<String, double[]> cell : cells.entrySet()) {
            total += cell.getValue()[arch.topK(cell.getKey())[0]];
        }
        return total;
    }

    /**
     * The expected latency the loss sees: each cell's costs weighted by the softmax over its estimator
     * set in {@code path} (the sampled pair in mode {@code two}, the other candidates counting 0, as
     * in the authors' code), or over all candidates where {@code path} is null or names every one.
     */
    public double expected(ArchitectureParameters arch, SampledPath path) {
        double e = fixed();
        for (Map.Entry<String, double[]> cell : cells().entrySet()) {
            int[] set = estimatorSet(path, cell.getKey(), cell.getValue().length);
            double[] q = ArchitectureParameters.softmax(arch.alpha(cell.getKey()), set);
            for (int i = 0; i < set.length; i++) {
                e += q[i] * cell.getValue()[set[i]];
            }
        }
        return e;
    }

    /**
     * {@code dE/dalpha} by label for {@link #expected}:
     * {@code q_i (T_i - sum_j q_j T_j)} inside each cell's estimator set, 0 outside it, so that in mode
     * {@code two} only the pair moves and the pair rescale keeps the others' probabilities.
     */
    public Map<String, double[]> expectedGradient(ArchitectureParameters arch, SampledPath path) {
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> cell : cells().entrySet()) {
            double[] t = cell.getValue();
            int[] set = estimatorSet(path, cell.getKey(), t.length);
            double[] q = ArchitectureParameters.softmax(arch.alpha(cell.getKey()), set);
            double mean = 0;
            for (int i = 0; i < set.length; i++) {
                mean += q[i] * t[set[i]];
            }
            double[] g = new double[t.length];
            for (int i = 0; i < set.length; i++) {
                g[set[i]] = q[i] * (t[set[i]] - mean);
            }
            grads.put(cell.getKey(), g);
        }
        return grads;
    }

    private static int[] estimatorSet(SampledPath path, String label, int n) {
        ChoiceRouting routing = path == null ? null : path.routing(label);
        return routing == null || routing.gated().length == 0 ? IntStream.range(0, n).toArray() : routing.gated();
    }
}
