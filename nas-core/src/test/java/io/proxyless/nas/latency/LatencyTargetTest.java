package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.optim.AdamOptimizer;
import io.proxyless.nas.train.ArchitectureLoss;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dual ascent against a cross-entropy that always prefers the most expensive candidates: the
 * expected latency ends near the target, whichever side it starts on, and the multiplier is state
 * that a checkpoint carries.
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
                    grad[i] = -0.05 * p[i] * (costs[i] - mean);
                }
                g.put(label, grad);
            }
            return new ArchitectureLoss.Terms(1.0, g);
        };
    }

    private static double search(double target, int steps, Map<String, double[]> resumeFrom, LatencyTarget[] out) {
        ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, 3);
        AdamOptimizer adam = AdamOptimizer.forArchitecture(1e-3);
        LatencyTarget loss = new LatencyTarget(accuracyPrefersLarge(), latency(), target, LatencyTarget.DEFAULT_RATE);
        if (resumeFrom != null) {
            loss.restore(resumeFrom);
        }
        double e = Double.NaN;
        for (int step = 0; step < steps; step++) {
            ArchitectureLoss.Terms terms = loss.evaluate(arch, null, 1.0);
            for (String label : arch.labels()) {
                adam.step(label, arch.alpha(label), terms.alphaGradients().get(label));
            }
            loss.afterStep(arch);
            e = loss.expectedLatency(arch);
        }
        out[0] = loss;
        return e;
    }

    @Test
    void theExpectedLatencyEndsNearTheTarget() {
        double unconstrained = 2.0 + 6 * 3.6;
        for (double target : new double[] {9.0, 12.0, 16.0}) {
            LatencyTarget[] loss = new LatencyTarget[1];
            double e = search(target, 3000, null, loss);
            assertEquals(target, e, 0.1 * target, "target " + target + ": E " + e);
            assertTrue(e < unconstrained, "the target pulled against the cross-entropy");
        }
    }

    @Test
    void aTargetAboveWhatTheSearchWantsLeavesTheMultiplierAtZero() {
        LatencyTarget[] loss = new LatencyTarget[1];
        search(100.0, 500, null, loss);
        assertEquals(0.0, loss[0].multiplier());
    }

    @Test
    void theMultiplierIsStateACheckpointCarries() {
        LatencyTarget[] loss = new LatencyTarget[1];
        search(9.0, 200, null, loss);
        Map<String, double[]> state = loss[0].state();
        assertEquals(loss[0].multiplier(), state.get("latency_target/multiplier")[0]);
        LatencyTarget restored = new LatencyTarget(ArchitectureLoss.NONE, latency(), 9.0, LatencyTarget.DEFAULT_RATE);
        restored.restore(state);
        assertEquals(loss[0].multiplier(), restored.multiplier());
    }

    /** The dual step reads the expected latency of the logits the architecture step produced. */
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
        assertEquals(Math.min(10, Math.max(0, after / 9.0 - 1)), loss.multiplier(), 1e-12);
    }
}
