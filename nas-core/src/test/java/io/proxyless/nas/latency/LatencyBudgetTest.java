package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureParameters;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budgeted export against every architecture of small random spaces. */
class LatencyBudgetTest {

    private record Space(ArchitectureParameters arch, SpaceLatency latency) {}

    /** {@code cells} cells of 2 to 5 candidates (the last a free {@code zero} in every other cell). */
    private static Space randomSpace(Random random, int cells) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, double[]> costs = new LinkedHashMap<>();
        for (int c = 0; c < cells; c++) {
            int n = 2 + random.nextInt(4);
            List<String> candidates = new java.util.ArrayList<>();
            double[] cost = new double[n];
            for (int j = 0; j < n; j++) {
                candidates.add("op" + j);
                cost[j] = c % 2 == 1 && j == n - 1 ? 0 : 0.1 + random.nextDouble() * 3;
            }
            names.put("s" + c, candidates);
            costs.put("s" + c, cost);
        }
        ArchitectureParameters arch = ArchitectureParameters.initialise(names, random.nextLong());
        for (String label : arch.labels()) {
            double[] alpha = arch.alpha(label);
            for (int j = 0; j < alpha.length; j++) {
                alpha[j] = random.nextGaussian() * 1.5;
            }
        }
        return new Space(arch, new SpaceLatency("test", "ms", 1.0, costs, names));
    }

    /** The best log probability over every architecture within the budget, by enumeration. */
    private static double bruteForce(Space space, double budget) {
        return bruteForce(space, Double.NEGATIVE_INFINITY, budget);
    }

    /** The best log probability over every architecture of latency in [floor, budget], by enumeration. */
    private static double bruteForce(Space space, double floor, double budget) {
        return bruteForce(space, floor, budget, null);
    }

    /**
     * The best log probability over every architecture of latency in [floor, budget] that costs at least
     * as much as {@code atLeast} in every cell (every architecture where it is null), by enumeration.
     */
    private static double bruteForce(Space space, double floor, double budget, Map<String, List<String>> atLeast) {
        List<String> labels = space.arch().labels();
        int[] index = new int[labels.size()];
        double best = Double.NEGATIVE_INFINITY;
        while (true) {
            Map<String, List<String>> arch = new LinkedHashMap<>();
            double logP = 0;
            for (int c = 0; c < labels.size(); c++) {
                arch.put(labels.get(c), List.of(space.arch().candidateNames(labels.get(c)).get(index[c])));
                logP += Math.log(space.arch().probabilities(labels.get(c))[index[c]]);
            }
            double latency = space.latency().of(arch, "enumerated");
            if (latency <= budget && latency >= floor && (atLeast == null || costsAtLeast(space, arch, atLeast))) {
                best = Math.max(best, logP);
            }
            int c = 0;
            while (c < index.length && ++index[c] == space.arch().candidateNames(labels.get(c)).size()) {
                index[c++] = 0;
            }
            if (c == index.length) {
                return best;
            }
        }
    }

    private static boolean costsAtLeast(Space space, Map<String, List<String>> arch, Map<String, List<String>> floor) {
        for (String label : space.arch().labels()) {
            List<String> names = space.arch().candidateNames(label);
            double[] costs = space.latency().costs(label);
            if (costs[names.indexOf(arch.get(label).get(0))] < costs[names.indexOf(floor.get(label).get(0))]) {
                return false;
            }
        }
        return true;
    }

    private static double logProbability(Space space, Map<String, List<String>> arch) {
        double logP = 0;
        for (String label : space.arch().labels()) {
            int j = space.arch().candidateNames(label).indexOf(arch.get(label).get(0));
            logP += Math.log(space.arch().probabilities(label)[j]);
        }
        return logP;
    }

    @Test
    void theExportIsTheMostProbableNetworkWithinTheBudget() {
        Random random = new Random(12);
        int checked = 0;
        for (int trial = 0; trial < 40; trial++) {
            Space space = randomSpace(random, 3 + random.nextInt(4));
            double cheapest = space.latency().cheapest();
            double unconstrained = space.latency().of(space.arch().chosen(), "argmax");
            for (int b = 0; b < 8; b++) {
                double budget = cheapest + (unconstrained - cheapest + 0.5) * random.nextDouble();
                LatencyBudget.Choice choice = LatencyBudget.best(space.arch(), space.latency(), budget);
                double met = space.latency().of(choice.architecture(), "exported");
                assertEquals(met, choice.latency(), 0.0, "the reported latency is the table's");
                assertTrue(met <= budget, met + " over the budget " + budget);
                assertEquals(bruteForce(space, budget), logProbability(space, choice.architecture()), 1e-12,
                        "trial " + trial + ", budget " + budget);
                checked++;
            }
            // At or above the unconstrained network's latency, the budget changes nothing.
            assertEquals(space.arch().chosen(),
                    LatencyBudget.best(space.arch(), space.latency(), unconstrained).architecture());
        }
        assertEquals(320, checked);
    }

    /**
     * The spending export, by enumeration: the most probable network within T where that spends at
     * least 0.9 T; else the most probable network in [0.9 T, T] that costs at least as much as it in
     * every cell; else, where there is none, the most probable network within T.
     */
    @Test
    void theSpendingExportSpendsTheLeftoverOnCostlierCandidates() {
        Random random = new Random(21);
        int spentAlready = 0;
        int filled = 0;
        int fallback = 0;
        for (int trial = 0; trial < 40; trial++) {
            Space space = randomSpace(random, 3 + random.nextInt(4));
            double cheapest = space.latency().cheapest();
            double costliest = space.latency().costliest();
            for (int b = 0; b < 8; b++) {
                double budget = cheapest + (costliest - cheapest) * random.nextDouble();
                LatencyBudget.Choice within = LatencyBudget.best(space.arch(), space.latency(), budget);
                LatencyBudget.Choice choice = LatencyBudget.spending(space.arch(), space.latency(), budget);
                double met = space.latency().of(choice.architecture(), "exported");
                assertEquals(met, choice.latency(), 0.0);
                assertTrue(met <= budget, met + " over the budget " + budget);
                String where = "trial " + trial + ", budget " + budget;
                if (within.latency() >= LatencyBudget.SPENT * budget) {
                    assertEquals(within.architecture(), choice.architecture(), where);
                    spentAlready++;
                    continue;
                }
                double band = bruteForce(space, LatencyBudget.SPENT * budget, budget, within.architecture());
                if (band == Double.NEGATIVE_INFINITY) {
                    assertEquals(within.architecture(), choice.architecture(), where);
                    fallback++;
                } else {
                    assertTrue(met >= LatencyBudget.SPENT * budget, met + " under the band of " + budget);
                    assertTrue(costsAtLeast(space, choice.architecture(), within.architecture()), where);
                    assertEquals(band, logProbability(space, choice.architecture()), 1e-12, where);
                    filled++;
                }
            }
        }
        assertTrue(spentAlready > 20 && filled > 20 && fallback > 20,
                spentAlready + " spent within T, " + filled + " filled, " + fallback + " without a costlier network in the band");
    }

    /**
     * The case of the quickstart's cpu table in small: the likeliest network within T skips a cell and
     * spends 0.6 T. The likeliest network in the band keeps an op there and pays with a cheaper
     * candidate in another cell; the export keeps the skip and the costly candidate, and spends the
     * leftover on the cell that can take it.
     */
    @Test
    void theLeftoverIsSpentWithoutTakingFromACell() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put("s0", List.of("small", "large"));
        names.put("s1", List.of("op", "zero"));
        names.put("s2", List.of("small", "large"));
        Map<String, double[]> costs = new LinkedHashMap<>();
        costs.put("s0", new double[] {1.0, 2.6});
        costs.put("s1", new double[] {2.3, 0});
        costs.put("s2", new double[] {1.5, 2.0});
        ArchitectureParameters arch = ArchitectureParameters.initialise(names, 1);
        setProbabilities(arch, "s0", 0.9, 0.1);
        setProbabilities(arch, "s1", 0.45, 0.55);
        setProbabilities(arch, "s2", 0.3, 0.7);
        SpaceLatency latency = new SpaceLatency("test", "ms", 0, costs, names);
        assertEquals(Map.of("s0", List.of("small"), "s1", List.of("zero"), "s2", List.of("large")),
                LatencyBudget.best(arch, latency, 5.0).architecture());
        assertEquals(-2.1, bruteForce(new Space(arch, latency), 4.5, 5.0), 0.01,
                "the likeliest in the band alone: small, op, small");
        LatencyBudget.Choice spent = LatencyBudget.spending(arch, latency, 5.0);
        assertEquals(Map.of("s0", List.of("large"), "s1", List.of("zero"), "s2", List.of("large")), spent.architecture());
        assertEquals(4.6, spent.latency(), 1e-12);
    }

    private static void setProbabilities(ArchitectureParameters arch, String label, double... p) {
        double[] alpha = arch.alpha(label);
        for (int j = 0; j < p.length; j++) {
            alpha[j] = Math.log(p[j]);
        }
    }

    @Test
    void aBudgetBelowTheCheapestNetworkIsRefusedNamingIt() {
        Space space = randomSpace(new Random(3), 4);
        double cheapest = space.latency().cheapest();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyBudget.best(space.arch(), space.latency(), cheapest * 0.99));
        assertTrue(e.getMessage().contains("target_latency") && e.getMessage().contains(
                String.format(java.util.Locale.ROOT, "%.6g", cheapest)), e.getMessage());
        assertEquals(cheapest, LatencyBudget.best(space.arch(), space.latency(), cheapest).latency(), 0.0,
                "exactly the cheapest is feasible");
    }
}
