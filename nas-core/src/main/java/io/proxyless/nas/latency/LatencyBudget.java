package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureParameters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The most probable network within a latency budget: maximise {@code sum_cells ln p(choice)} subject
 * to the table latency {@code fixed + sum_cells T(choice) <= budget}. Cells are independent in the
 * table, so a dynamic programme over the cells solves it exactly: it carries the Pareto front of
 * (latency, log probability) over the cells seen so far, dropping every partial network that another
 * beats on both or that is already over the budget. Latencies add up in the order
 * {@link SpaceLatency#of} adds them, so the answer meets the budget in exactly its arithmetic.
 * Labels the table has no costs for (input choices) keep their most probable candidates.
 */
public final class LatencyBudget {

    private LatencyBudget() {}

    /** A network chosen under a budget, and its table latency. */
    public record Choice(Map<String, List<String>> architecture, double latency) {}

    private record Partial(double latency, double logProbability, Partial previous, int candidate) {}

    /**
     * @throws IllegalArgumentException when even the cheapest network costs more than {@code budget},
     *     naming the cheapest latency
     */
    public static Choice best(ArchitectureParameters arch, SpaceLatency latency, double budget) {
        checkFeasible(latency, budget);
        List<String> cells = new ArrayList<>(latency.cells().keySet());
        List<Partial> front = List.of(new Partial(latency.fixed(), 0, null, -1));
        for (String label : cells) {
            double[] costs = latency.costs(label);
            double[] p = arch.probabilities(label);
            List<Partial> next = new ArrayList<>();
            for (Partial partial : front) {
                for (int j = 0; j < costs.length; j++) {
                    double total = partial.latency() + costs[j];
                    if (total <= budget) {
                        next.add(new Partial(total, partial.logProbability() + Math.log(p[j]), partial, j));
                    }
                }
            }
            front = paretoFront(next);
        }
        return choice(arch, cells, front.get(front.size() - 1));
    }

    private static Choice choice(ArchitectureParameters arch, List<String> cells, Partial best) {
        int[] chosen = new int[cells.size()];
        double total = best.latency();
        for (int c = cells.size() - 1; c >= 0; c--) {
            chosen[c] = best.candidate();
            best = best.previous();
        }
        Map<String, List<String>> architecture = new LinkedHashMap<>(arch.chosen());
        for (int c = 0; c < cells.size(); c++) {
            architecture.put(cells.get(c), List.of(arch.candidateNames(cells.get(c)).get(chosen[c])));
        }
        return new Choice(architecture, total);
    }

    /** The share of a budget an exported network spends at least, when it can without taking from a cell. */
    public static final double SPENT = 0.9;

    /** Latency resolution of {@link #spending}'s programme, as a share of the budget. */
    static final double RESOLUTION = 1e-4;

    /**
     * What a search with a target exports: the most probable network within the budget ({@link #best}),
     * and where that spends less than {@link #SPENT} x budget, the most probable network in
     * [{@code SPENT} x budget, budget] that costs at least as much as it in every cell. The leftover
     * budget buys costlier candidates (a larger kernel, a wider expansion, an op where the cell was
     * skipped) and never pays for them by taking from a cell: the search's choices within the budget
     * are the floor. Where no such network exists, the most probable network within the budget.
     *
     * <p>Why the floor: steered to the budget, a search ends undecided between two candidates of one
     * cell whose costs straddle it (on the quickstart's {@code cpu} table, {@code zero} or an op in a
     * skippable cell: a step of 13% of the budget). The most probable network in the band alone then
     * keeps the op and pays for it with cheaper candidates in two or three other cells, against the
     * search's choice there; on two search seeds it retrained 0.43 and 0.24 points under the networks
     * that keep {@code zero} and spend the rest on the other cells (with {@link LatencyTarget}'s
     * steering; docs/results.md).
     *
     * <p>A lower bound breaks {@link #best}'s pruning (a cheaper, likelier partial network no longer
     * beats a costlier one), so this programme keeps, for each latency bucket of {@code RESOLUTION}
     * x budget, the likeliest partial network, with its exact latency. The answer's latency is
     * exact and within the band; it is the likeliest up to networks whose partial latencies differ
     * by less than a bucket.
     */
    public static Choice spending(ArchitectureParameters arch, SpaceLatency latency, double budget) {
        Choice within = best(arch, latency, budget);
        if (within.latency() >= SPENT * budget) {
            return within;
        }
        List<String> cells = new ArrayList<>(latency.cells().keySet());
        double bucket = RESOLUTION * budget;
        Map<Long, Partial> states = Map.of(0L, new Partial(latency.fixed(), 0, null, -1));
        for (String label : cells) {
            double[] costs = latency.costs(label);
            double[] p = arch.probabilities(label);
            double floor = costs[arch.candidateNames(label).indexOf(within.architecture().get(label).get(0))];
            Map<Long, Partial> next = new java.util.HashMap<>();
            for (Partial partial : states.values()) {
                for (int j = 0; j < costs.length; j++) {
                    double total = partial.latency() + costs[j];
                    if (costs[j] >= floor && total <= budget) {
                        Partial extended = new Partial(total, partial.logProbability() + Math.log(p[j]), partial, j);
                        next.merge((long) Math.floor(total / bucket), extended,
                                (a, b) -> a.logProbability() >= b.logProbability() ? a : b);
                    }
                }
            }
            states = next;
        }
        Partial spent = null;
        for (Partial partial : states.values()) {
            if (partial.latency() >= SPENT * budget && (spent == null || partial.logProbability() > spent.logProbability()
                    || partial.logProbability() == spent.logProbability() && partial.latency() < spent.latency())) {
                spent = partial;
            }
        }
        return spent == null ? within : choice(arch, cells, spent);
    }

    /** Refuses a budget no network of the space meets, naming the cheapest latency there is. */
    public static void checkFeasible(SpaceLatency latency, double budget) {
        if (!(latency.cheapest() <= budget)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target_latency (--target-latency) %.6g %s: no network of this space meets it; the cheapest costs"
                            + " %.6g %s (%s)", budget, latency.unit(), latency.cheapest(), latency.unit(), latency.hardware()));
        }
    }

    /** The partial networks no other beats on both latency and log probability, by rising latency. */
    private static List<Partial> paretoFront(List<Partial> partials) {
        partials.sort(Comparator.comparingDouble(Partial::latency)
                .thenComparing(Comparator.comparingDouble(Partial::logProbability).reversed()));
        List<Partial> front = new ArrayList<>();
        double bestSoFar = Double.NEGATIVE_INFINITY;
        for (Partial partial : partials) {
            if (partial.logProbability() > bestSoFar) {
                front.add(partial);
                bestSoFar = partial.logProbability();
            }
        }
        return front;
    }
}
