package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spends a {@code target_latency} budget T. The search exports the most probable network whose
 * latency lies in [0.9 T, T] ({@link LatencyBudget#spending}); this term centres the search's
 * distribution on that band, so the network exported is one the search supports, by dual ascent on a
 * multiplier mu. The architecture loss gets {@code mu (E / T - 1)}, E the expected latency under the
 * full softmax, whose gradient moves probability toward cheaper candidates while mu is positive and
 * toward costlier ones while it is negative; after each architecture step
 * {@code mu <- mu + rate (E / s - 1)}, within [-10, 10], with the set point {@code s = 0.95 T}, the
 * middle of the band (or the costliest network, where that is cheaper). So a search whose accuracy
 * pulls toward cheap candidates, {@code zero} above all, is pulled back up to the budget, and one
 * that pulls toward costly candidates is held at it. Steering E to T alone, with the most probable
 * network within T exported, left half of a budget unspent: an undecided search expected T while
 * its most probable network, with {@code zero} where a cell may be skipped, cost half of it. The
 * export never exceeds T. The term adds to the configured latency loss (or to none), which keeps
 * NNI's meaning of {@code ref_latency}; mu is search state that checkpoints keep.
 */
public final class LatencyTarget implements ArchitectureLoss {

    /** The multiplier's step per unit of relative violation, per architecture step. */
    public static final double DEFAULT_RATE = 1.0;

    /** Where the expected latency is steered, as a share of T: the middle of the export's band. */
    public static final double SET_POINT = (1 + LatencyBudget.SPENT) / 2;

    private static final String MULTIPLIER = "latency_target/multiplier";

    /**
     * The multiplier's ceiling. Adam moves alpha by about its learning rate whatever the gradient's
     * size, so beyond the point where the latency gradient dominates, a larger multiplier only winds
     * up: the search would overshoot the target by as many steps as it takes to unwind.
     */
    static final double MAX_MULTIPLIER = 10;

    private final ArchitectureLoss base;
    private final SpaceLatency latency;
    private final double target;
    private final double rate;
    private double multiplier;

    /** @param base the configured architecture loss ({@link ArchitectureLoss#NONE} for none) */
    public LatencyTarget(ArchitectureLoss base, SpaceLatency latency, double target, double rate) {
        if (!(target > 0) || !(rate > 0)) {
            throw new IllegalArgumentException("target_latency and its rate must be > 0, got " + target + ", " + rate);
        }
        this.base = base;
        this.latency = latency;
        this.target = target;
        this.rate = rate;
    }

    public double multiplier() {
        return multiplier;
    }

    public double target() {
        return target;
    }

    @Override
    public Terms evaluate(ArchitectureParameters arch, SampledPath path, double crossEntropy) {
        Terms terms = base.evaluate(arch, path, crossEntropy);
        Map<String, double[]> gradients = new LinkedHashMap<>();
        terms.alphaGradients().forEach((label, g) -> gradients.put(label, g.clone()));
        double scale = multiplier / target;
        latency.expectedGradient(arch, path).forEach((label, g) -> {
            double[] sum = gradients.computeIfAbsent(label, k -> new double[g.length]);
            for (int i = 0; i < g.length; i++) {
                sum[i] += scale * g[i];
            }
        });
        return new Terms(terms.crossEntropyScale(), gradients);
    }

    /** The dual step, from the expected latency of the logits the architecture step produced. */
    @Override
    public void afterStep(ArchitectureParameters arch) {
        base.afterStep(arch);
        double setPoint = Math.min(SET_POINT * target, latency.costliest());
        multiplier = Math.min(MAX_MULTIPLIER, Math.max(-MAX_MULTIPLIER,
                multiplier + rate * (expectedLatency(arch) / setPoint - 1)));
    }

    @Override
    public double expectedLatency(ArchitectureParameters arch) {
        return latency.expected(arch, null);
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> state = new LinkedHashMap<>(base.state());
        state.put(MULTIPLIER, new double[] {multiplier});
        return state;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        base.restore(state);
        double[] saved = state.get(MULTIPLIER);
        multiplier = saved != null ? saved[0] : 0;
    }
}
