package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.optim.AdamOptimizer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dual ascent on the most probable network's latency, against a cross-entropy that always prefers the
 * costliest candidates and against one that prefers the cheapest: the network the search exports
 * stays between 0.9 T and T either way, also where one cell's step is wider than the band, and the
 * multipliers are state that a checkpoint carries.
 */
class LatencyTargetTest {

    private static final Map<String, List<String>> NAMES = new LinkedHashMap<>();
    private static final Map<String, double[]> COSTS = new LinkedHashMap<>();

    static {
        for (int cell = 0; cell < 6; cell++) {
            NAMES.put("s" + cell, List.of("k3e3", "k5e3", "k7e3", "k3e6", "k5e6", "k7e6"));
            COSTS.put("s" + cell, new double[] {1.0, 1.4, 2.0, 1.8, 2.6, 3.6});
        }
    }

    private static SpaceLatency latency() {
        return new SpaceLatency("test", "MMACs", 2.0, COSTS, NAMES);
    }

    /** A cross-entropy gradient on alpha whose descent raises the probability of the costlier candidates. */
    private static ArchitectureLoss accuracyPrefersLarge() {
        return accuracyPrefers(1);
    }

    /** {@code direction} 1: descent favours costlier candidates; -1: cheaper ones. */
    private static ArchitectureLoss accuracyPrefers(double direction) {
        return (arch, path, ce) -> {
            Map<String, double[]> g = new LinkedHashMap<>();
            for (String label : arch.labels()) {
                double[] p = ArchitectureParameters.softmax(arch.alpha(label));
                double[] costs = COSTS.get(label);
                double mean = 0;
                for (int i = 0; i < p.length; i++) {
                    mean += p[i] * costs[i];
                }
                double[] grad = new double[p.length];
                for (int i = 0; i < p.length; i++) {
                    grad[i] = -0.05 * direction * p[i] * (costs[i] - mean);
                }
                g.put(label, grad);
            }
            return new ArchitectureLoss.Terms(1.0, g);
        };
    }

    /** Runs the dual ascent for {@code steps} steps; returns the logits it ends with. */
    private static ArchitectureParameters search(ArchitectureLoss crossEntropy, double target, int steps, LatencyTarget[] out) {
        ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, 3);
        AdamOptimizer adam = AdamOptimizer.forArchitecture(1e-3);
        LatencyTarget loss = new LatencyTarget(crossEntropy, latency(), target, LatencyTarget.DEFAULT_RATE);
        for (int step = 0; step < steps; step++) {
            step(loss, arch, adam);
        }
        out[0] = loss;
        return arch;
    }

    /** One architecture step: Adam on the loss's alpha gradients, then the dual step. */
    private static void step(LatencyTarget loss, ArchitectureParameters arch, AdamOptimizer adam) {
        ArchitectureLoss.Terms terms = loss.evaluate(arch, null, 1.0);
        for (String label : arch.labels()) {
            adam.step(label, arch.alpha(label), terms.alphaGradients().get(label));
        }
        loss.afterStep(arch);
    }

    /**
     * Whether accuracy pulls toward costly or toward cheap candidates, the network the search would
     * export lies in [0.9 T, T] at every one of the last 1,000 of 3,000 steps, for three targets.
     */
    @Test
    void theExportStaysInTheBandFromEitherSide() {
        for (double direction : new double[] {1, -1}) {
            for (double target : new double[] {9.0, 12.0, 16.0}) {
                ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, 3);
                AdamOptimizer adam = AdamOptimizer.forArchitecture(1e-3);
                LatencyTarget loss = new LatencyTarget(accuracyPrefers(direction), latency(), target, LatencyTarget.DEFAULT_RATE);
                for (int step = 0; step < 3000; step++) {
                    step(loss, arch, adam);
                    double exported = LatencyBudget.spending(arch, latency(), target).latency();
                    if (step >= 2000) {
                        assertTrue(exported >= 0.9 * target && exported <= target, "accuracy prefers "
                                + (direction > 0 ? "costly" : "cheap") + " ops, target " + target + ", step " + step
                                + ": the export costs " + exported);
                    }
                }
            }
        }
    }

    /**
     * The quickstart's case in small: accuracy prefers the op of a skippable cell, whose step (2.0) is
     * wider than the band (0.54), and the large candidate elsewhere. The most probable network flips
     * between the op (over T) and {@code zero} (in the band) to the end, and the export is the same
     * network at every one of the last 1,000 steps: {@code zero} there, large elsewhere.
     */
    @Test
    void aCellWiderThanTheBandFlipsAndTheExportHolds() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, double[]> costs = new LinkedHashMap<>();
        for (String label : List.of("s0", "s1", "s2", "s3")) {
            names.put(label, label.equals("s1") ? List.of("op", "zero") : List.of("small", "large"));
            costs.put(label, label.equals("s1") ? new double[] {2.0, 0} : new double[] {1.0, 1.3});
        }
        SpaceLatency latency = new SpaceLatency("test", "ms", 1.0, costs, names);
        ArchitectureLoss prefersOpAndLarge = (arch, path, ce) -> {
            Map<String, double[]> g = new LinkedHashMap<>();
            for (String label : arch.labels()) {
                double[] p = ArchitectureParameters.softmax(arch.alpha(label));
                double toFirst = (label.equals("s1") ? -0.05 : 0.05) * p[0] * p[1];
                g.put(label, new double[] {toFirst, -toFirst});
            }
            return new ArchitectureLoss.Terms(1.0, g);
        };
        double target = 5.4;
        ArchitectureParameters arch = ArchitectureParameters.initialise(names, 3);
        AdamOptimizer adam = AdamOptimizer.forArchitecture(1e-2);
        LatencyTarget loss = new LatencyTarget(prefersOpAndLarge, latency, target, LatencyTarget.DEFAULT_RATE);
        Map<Map<String, List<String>>, Integer> exports = new LinkedHashMap<>();
        int flips = 0;
        double mostProbable = latency.mostProbable(arch);
        for (int step = 0; step < 3000; step++) {
            step(loss, arch, adam);
            if (step >= 2000) {
                exports.merge(LatencyBudget.spending(arch, latency, target).architecture(), 1, Integer::sum);
                flips += latency.mostProbable(arch) != mostProbable ? 1 : 0;
            }
            mostProbable = latency.mostProbable(arch);
        }
        assertTrue(flips > 100, "the most probable network flipped " + flips + " times");
        assertEquals(Map.of(Map.of("s0", List.of("large"), "s1", List.of("zero"), "s2", List.of("large"),
                "s3", List.of("large")), 1000), exports);
    }

    /** A budget above every network is steered to the costliest one, whatever the cross-entropy prefers. */
    @Test
    void aBudgetAboveTheCostliestNetworkSteersToIt() {
        LatencyTarget[] loss = new LatencyTarget[1];
        ArchitectureParameters arch = search(accuracyPrefers(-1), 100.0, 3000, loss);
        assertEquals(latency().costliest(), latency().mostProbable(arch), 1e-9);
        assertTrue(loss[0].multiplier() < 0, "mu pulls up: " + loss[0].multiplier());
    }

    @Test
    void theMultipliersAreStateACheckpointCarries() {
        LatencyTarget[] loss = new LatencyTarget[1];
        search(accuracyPrefers(-1), 100.0, 200, loss);
        Map<String, double[]> state = loss[0].state();
        assertEquals(loss[0].multiplier(), state.get("latency_target/above")[0] - state.get("latency_target/below")[0]);
        LatencyTarget restored = new LatencyTarget(ArchitectureLoss.NONE, latency(), 100.0, LatencyTarget.DEFAULT_RATE);
        restored.restore(state);
        assertEquals(loss[0].multiplier(), restored.multiplier());
        assertTrue(loss[0].multiplier() != 0, "a multiplier that moved: " + loss[0].multiplier());
    }

    /** The dual step reads the most probable network of the logits the architecture step produced. */
    @Test
    void theMultipliersMoveByTheMostProbableNetworkAfterTheStep() {
        ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, 3);
        AdamOptimizer adam = AdamOptimizer.forArchitecture(0.5);
        double target = 9.0;
        LatencyTarget loss = new LatencyTarget(accuracyPrefersLarge(), latency(), target, LatencyTarget.DEFAULT_RATE);
        double before = latency().mostProbable(arch);
        ArchitectureLoss.Terms terms = loss.evaluate(arch, null, 1.0);
        for (String label : arch.labels()) {
            adam.step(label, arch.alpha(label), terms.alphaGradients().get(label));
        }
        double after = latency().mostProbable(arch);
        loss.afterStep(arch);
        assertTrue(Math.abs(after - before) > 1e-3, "the step moved the most probable network: " + before + " -> " + after);
        double above = Math.min(10, Math.max(0, after / target - 1));
        double below = Math.min(10, Math.max(0, 1 - after / (0.9 * target)));
        assertEquals(above - below, loss.multiplier(), 1e-12);
    }
}
