package io.proxyless.nas.train;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.PolicyGradient;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.latency.SpaceLatency;

import java.util.List;
import java.util.Map;

/**
 * The authors' REINFORCE search ({@code algorithm: reinforce}): each architecture step samples
 * {@code reinforce_samples} networks from p, scores each on the step's architecture-split batch, and
 * climbs the expected reward by the policy gradient ({@link PolicyGradient}) with Adam. The reward
 * is {@code acc * (ref / lat) ^ 0.1} with a latency table, MnasNet's {@code acc * (lat / T) ^ -0.1}
 * above a {@code target_latency} {@code T} (and {@code acc} at or below it), plain {@code acc}
 * without a table. The baseline moves as the authors move it, {@code b <- b + 0.99 (mean R - b)},
 * after the step: the gradient uses the baseline of the steps before, which keeps it unbiased
 * (the first step centres on its own mean). Checkpoints keep the baseline.
 */
public final class ReinforceReward implements ArchitectureLoss {

    public static final double TRADEOFF = 0.1;
    public static final double BASELINE_DECAY = 0.99;

    private final SpaceLatency latency;
    private final double reference;
    private final Double target;
    private final int samples;
    private double baseline = Double.NaN;

    /** @param latency the table, or {@code null} for a reward of accuracy alone */
    public ReinforceReward(SpaceLatency latency, double reference, Double target, int samples) {
        this.latency = latency;
        this.reference = reference;
        this.target = target;
        this.samples = samples;
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
            return lat <= target ? accuracy : accuracy * Math.pow(lat / target, -TRADEOFF);
        }
        return accuracy * Math.pow(reference / lat, TRADEOFF);
    }

    /** The step's alpha gradient; then the baseline takes the step's mean reward in. */
    public Map<String, double[]> step(ArchitectureParameters arch, List<PolicyGradient.Sample> sampled) {
        double mean = sampled.stream().mapToDouble(PolicyGradient.Sample::reward).average().orElseThrow();
        double before = Double.isNaN(baseline) ? mean : baseline;
        Map<String, double[]> gradient = PolicyGradient.lossGradient(arch, sampled, before);
        baseline = before + BASELINE_DECAY * (mean - before);
        return gradient;
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
