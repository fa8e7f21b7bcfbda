package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spends a {@code target_latency} budget T. The search exports the most probable network within T,
 * with any leftover under 0.9 T spent on costlier candidates of its cells ({@link LatencyBudget#spending});
 * this term steers the search's most probable network to the band [0.9 T, T], so that the network
 * exported is one the search supports. The architecture loss gets {@code mu (E / T - 1)}, E the
 * expected latency under the full softmax (the smooth relaxation whose gradient reaches every
 * candidate), which moves probability toward cheaper candidates while mu is positive and toward
 * costlier ones while it is negative. mu is the difference of two multipliers, one for each edge of
 * the band, each raised by dual ascent on the latency L of the most probable network after every
 * architecture step and kept in [0, 10]: {@code above <- above + rate (L / T - 1)},
 * {@code below <- below + rate (1 - L / f)}, f = 0.9 T (or the costliest network, where that is
 * cheaper), {@code mu = above - below}. While L is in the band both decay, and the cross-entropy
 * alone chooses among the networks there.
 *
 * <p>Why L and not E. Steered by E to the band's middle, a search that wavers in one cell between
 * {@code zero} and an op (on the quickstart's {@code cpu} table a step of 13% of T, wider than the
 * band) holds E there with a mixture, so mu stays positive to the end and presses every other cell
 * toward cheaper candidates than its accuracy prefers: its exports retrained 0.15 and 0.29 points
 * under those of the same searches steered by L (docs/results.md). Steered by L, that cell flips
 * between its two candidates to the search's last step, but the most probable network within T,
 * and so the export, is the same on both sides of the flip. The export never exceeds T. The term adds to the
 * configured latency loss (or to none), which keeps NNI's meaning of {@code ref_latency}; the two
 * multipliers are search state that checkpoints keep.
 */
public final class LatencyTarget implements ArchitectureLoss {

    /** The multipliers' step per unit of relative violation, per architecture step. */
    public static final double DEFAULT_RATE = 1.0;

    private static final String ABOVE = "latency_target/above";
    private static final String BELOW = "latency_target/below";

    /**
     * The multipliers' ceiling. Adam moves alpha by about its learning rate whatever the gradient's
     * size, so beyond the point where the latency gradient dominates, a larger multiplier only winds
     * up: the search would overshoot the band by as many steps as it takes to unwind.
     */
    static final double MAX_MULTIPLIER = 10;

    private final ArchitectureLoss base;
    private final SpaceLatency latency;
    private final double target;
    private final double rate;
    private double above;
    private double below;

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

    /** mu: positive pulls toward cheaper candidates, negative toward costlier ones. */
    public double multiplier() {
        return above - below;
    }

    public double target() {
        return target;
    }

    @Override
    public Terms evaluate(ArchitectureParameters arch, SampledPath path, double crossEntropy) {
        Terms terms = base.evaluate(arch, path, crossEntropy);
        Map<String, double[]> gradients = new LinkedHashMap<>();
        terms.alphaGradients().forEach((label, g) -> gradients.put(label, g.clone()));
        double scale = multiplier() / target;
        latency.expectedGradient(arch, path).forEach((label, g) -> {
            double[] sum = gradients.computeIfAbsent(label, k -> new double[g.length]);
            for (int i = 0; i < g.length; i++) {
                sum[i] += scale * g[i];
            }
        });
        return new Terms(terms.crossEntropyScale(), gradients);
    }

    /** The dual step, from the most probable network of the logits the architecture step produced. */
    @Override
    public void afterStep(ArchitectureParameters arch) {
        base.afterStep(arch);
        double mostProbable = latency.mostProbable(arch);
        double floor = Math.min(LatencyBudget.SPENT * target, latency.costliest());
        above = clip(above + rate * (mostProbable / target - 1));
        below = clip(below + rate * (1 - mostProbable / floor));
    }

    private static double clip(double multiplier) {
        return Math.min(MAX_MULTIPLIER, Math.max(0, multiplier));
    }

    @Override
    public double expectedLatency(ArchitectureParameters arch) {
        return latency.expected(arch, null);
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> state = new LinkedHashMap<>(base.state());
        state.put(ABOVE, new double[] {above});
        state.put(BELOW, new double[] {below});
        return state;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        base.restore(state);
        above = state.containsKey(ABOVE) ? state.get(ABOVE)[0] : 0;
        below = state.containsKey(BELOW) ? state.get(BELOW)[0] : 0;
    }
}
