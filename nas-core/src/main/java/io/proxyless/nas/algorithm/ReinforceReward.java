package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.PolicyGradient;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.latency.SpaceLatency;

import java.util.List;
import java.util.Map;

/**
 * The authors' REINFORCE search ({@code algorithm: reinforce}): each architecture step samples
 * {@code reinforce_samples} networks from p, scores each on an architecture-split batch of
 * {@code reinforce_batch_size} images, and climbs the expected reward by the policy gradient
 * ({@link PolicyGradient}) with Adam.
 *
 * <p>The reward: plain {@code acc} without a latency table; the authors' {@code acc * (ref / lat) ^ 0.1}
 * with one; with a {@code target_latency} T, MnasNet's: {@code soft} {@code acc * (lat / T) ^ -0.07}
 * on both sides of T, or {@code hard} {@code acc} at or below T and {@code acc * (lat / T) ^ -1} above.
 *
 * <p>The baseline: all samples of a step are scored on one batch, so the batch's difficulty shifts
 * every reward alike. Each sample is measured against the mean reward of the step's other samples
 * (leave-one-out), which cancels that shift exactly and stays unbiased. With one sample a step there
 * are no others: the authors' moving baseline, {@code b <- b + 0.99 (mean R - b)}, is then taken in
 * before the gradient, as their code does. The moving baseline is kept either way (checkpoints keep it).
 */
public final class ReinforceReward implements ArchitectureLoss {

    /** The authors' latency exponent without a target: {@code acc * (ref / lat) ^ 0.1}. */
    public static final double TRADEOFF = 0.1;
    /** MnasNet's soft exponent, on both sides of the target. */
    public static final double SOFT_EXPONENT = -0.07;
    /** MnasNet's hard exponent, above the target. */
    public static final double HARD_EXPONENT = -1;
    public static final double BASELINE_DECAY = 0.99;

    private final SpaceLatency latency;
    private final double reference;
    private final Double target;
    private final int samples;
    private final boolean hard;
    private double baseline = Double.NaN;

    /**
     * @param latency the table, or {@code null} for a reward of accuracy alone
     * @param shape {@code soft} or {@code hard}: MnasNet's reward around {@code target}
     */
    public ReinforceReward(SpaceLatency latency, double reference, Double target, int samples, String shape) {
        if (!"soft".equals(shape) && !"hard".equals(shape)) {
            throw new IllegalArgumentException("reinforce_reward: 'soft' or 'hard', got '" + shape + "'");
        }
        this.latency = latency;
        this.reference = reference;
        this.target = target;
        this.samples = samples;
        this.hard = "hard".equals(shape);
    }

    public int samples() {
        return samples;
    }

    /** The reward of a network of this accuracy on the step's batch. */
    public double reward(double accuracy, Map<String, List<String>> network) {
        if (latency == null) {
            return accuracy;
        }
        double lat = latency.of(network, "a sampled network");
        if (target != null) {
            double ratio = lat / target;
            if (hard) {
                return ratio <= 1 ? accuracy : accuracy * Math.pow(ratio, HARD_EXPONENT);
            }
            return accuracy * Math.pow(ratio, SOFT_EXPONENT);
        }
        return accuracy * Math.pow(reference / lat, TRADEOFF);
    }

    /** The step's alpha gradient, each sample against its baseline; the moving baseline takes the step in. */
    public Map<String, double[]> step(ArchitectureParameters arch, List<PolicyGradient.Sample> sampled) {
        double mean = sampled.stream().mapToDouble(PolicyGradient.Sample::reward).average().orElseThrow();
        baseline = Double.isNaN(baseline) ? mean : baseline + BASELINE_DECAY * (mean - baseline);
        return sampled.size() > 1 ? PolicyGradient.lossGradient(arch, sampled, PolicyGradient.leaveOneOut(sampled))
                : PolicyGradient.lossGradient(arch, sampled, baseline);
    }

    public double baseline() {
        return baseline;
    }

    /** The expected latency under p, for the metrics; the reward carries the latency, not a loss term. */
    @Override
    public Terms evaluate(ArchitectureParameters arch, SampledPath path, double crossEntropy) {
        return new Terms(1.0, Map.of());
    }

    @Override
    public double expectedLatency(ArchitectureParameters arch) {
        return latency == null ? Double.NaN : latency.expected(arch, null);
    }

    @Override
    public Map<String, double[]> state() {
        return Map.of("reinforce_baseline", new double[] {baseline});
    }

    @Override
    public void restore(Map<String, double[]> state) {
        double[] saved = state.get("reinforce_baseline");
        if (saved != null) {
            baseline = saved[0];
        }
    }
}
