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
 * Dual ascent on the exported network's latency, against a cross-entropy that always prefers the
 * costliest candidates and against one that prefers the cheapest: the network the search exports
 * ends between 0.9 T and T either way, and the multiplier is state that a checkpoint carries.
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

    /** Runs the dual ascent for {@code steps} steps; returns the latency of the network it would export. */
    private static double search(ArchitectureLoss crossEntropy, double target, int steps, LatencyTarget[] out) {
        ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, 3);
        AdamOptimizer adam = AdamOptimizer.forArchitecture(1e-3);
        LatencyTarget loss = new LatencyTarget(crossEntropy, latency(), target, LatencyTarget.DEFAULT_RATE);
        for (int step = 0; step < steps; step++) {
            ArchitectureLoss.Terms terms = loss.evaluate(arch, null, 1.0);
            for (String label : arch.labels()) {
                adam.step(label, arch.alpha(label), terms.alphaGradients().get(label));
            }
            loss.afterStep(arch);
        }
        out[0] = loss;
        return loss.expectedLatency(arch);
    }

    /**
     * Whether accuracy pulls toward costly or toward cheap candidates, the expected latency ends at
     * the middle of the export's band, 0.95 T: the search's mass sits where the export is taken.
     */
    @Test
    void theExpectedLatencyEndsInTheMiddleOfTheBandFromEitherSide() {
        for (double direction : new double[] {1, -1}) {
            for (double target : new double[] {9.0, 12.0, 16.0}) {
                LatencyTarget[] loss = new LatencyTarget[1];
                double e = search(accuracyPrefers(direction), target, 3000, loss);
                assertEquals(0.95 * target, e, 0.05 * target, "accuracy prefers "
                        + (direction > 0 ? "costly" : "cheap") + " ops, target " + target + ": E " + e);
            }
        }
    }

    /** A budget above every network is steered to the costliest one, whatever the cross-entropy prefers. */
    @Test
    void aBudgetAboveTheCostliestNetworkSteersToIt() {
        LatencyTarget[] loss = new LatencyTarget[1];
        double e = search(accuracyPrefers(-1), 100.0, 3000, loss);
        assertEquals(latency().costliest(), e, 0.05 * latency().costliest());
        assertTrue(loss[0].multiplier() < 0, "mu pulls up: " + loss[0].multiplier());
    }

    @Test
    void theMultiplierIsStateACheckpointCarries() {
        LatencyTarget[] loss = new LatencyTarget[1];
        search(accuracyPrefersLarge(), 9.0, 200, loss);
        Map<String, double[]> state = loss[0].state();
        assertEquals(loss[0].multiplier(), state.get("latency_target/multiplier")[0]);
        LatencyTarget restored = new LatencyTarget(ArchitectureLoss.NONE, latency(), 9.0, LatencyTarget.DEFAULT_RATE);
        restored.restore(state);
        assertEquals(loss[0].multiplier(), restored.multiplier());
    }

    /** The dual step reads the network that the logits the architecture step produced would export. */
    @Test
    void theMultiplierMovesByTheLatencyAfterTheStep() {
        ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, 3);
        AdamOptimizer adam = AdamOptimizer.forArchitecture(0.5);
        LatencyTarget loss = new LatencyTarget(accuracyPrefersLarge(), latency(), 9.0, LatencyTarget.DEFAULT_RATE);
        double before = loss.expectedLatency(arch);
        ArchitectureLoss.Terms terms = loss.evaluate(arch, null, 1.0);
        for (String label : arch.labels()) {
            adam.step(label, arch.alpha(label), terms.alphaGradients().get(label));
        }
        double after = loss.expectedLatency(arch);
        loss.afterStep(arch);
        assertTrue(Math.abs(after - before) > 1e-3, "the step moved E: " + before + " -> " + after);
        assertEquals(Math.min(10, Math.max(-10, after / (0.95 * 9.0) - 1)), loss.multiplier(), 1e-12);
    }
}
