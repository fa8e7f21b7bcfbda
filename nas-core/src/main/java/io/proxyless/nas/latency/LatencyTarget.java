package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.train.ArchitectureLoss;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Steers the expected latency toward {@code target_latency} by dual ascent: the architecture loss
 * gets {@code mu (E / target - 1)}, and after each architecture step the multiplier moves by the
 * relative violation, {@code mu <- max(0, mu + rate (E / target - 1))}, with E under the full
 * softmax of the logits that step produced. While the search expects more than the target, mu grows until the latency gradient
 * wins over the cross-entropy's; once it expects less, mu shrinks back toward 0 and the
 * cross-entropy decides alone. It is added to the configured latency term (or to none), which
 * keeps NNI's meaning of {@code ref_latency}. The multiplier is search state: checkpoints keep it.
 */
public final class LatencyTarget implements ArchitectureLoss {

    /** The multiplier's step per unit of relative violation, per architecture step. */
    public static final double DEFAULT_RATE = 1.0;

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
        multiplier = Math.min(MAX_MULTIPLIER, Math.max(0, multiplier + rate * (expectedLatency(arch) / target - 1)));
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
