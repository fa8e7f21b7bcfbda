package io.proxyless.nas.arch;

import io.proxyless.nas.nn.ChoiceRouting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REINFORCE estimator on alpha. A sampled architecture {@code a} (one candidate per cell) has
 * {@code log p(a) = sum_cells log softmax(alpha_cell)[a_cell]}, whose gradient in a cell is
 * {@code onehot(a_cell) - p_cell}. The loss {@code -(R - b) log p(a)}, averaged over the samples of a
 * step, has the gradient {@code mean -(R - b) (onehot(a) - p)}: for a baseline {@code b} that does
 * not depend on the sample it is subtracted from, its expectation is {@code -grad E[R]}, so Adam on
 * it climbs the expected reward.
 */
public final class PolicyGradient {

    private PolicyGradient() {}

    /** One sampled architecture and its reward. */
    public record Sample(SampledPath path, double reward) {}

    /**
     * Each sample's leave-one-out baseline: the mean reward of the step's other samples. It is
     * independent of the sample it serves, so the estimate stays unbiased, and a shift that moves
     * every reward of the step alike (a hard or an easy batch) cancels exactly.
     */
    public static double[] leaveOneOut(List<Sample> samples) {
        int n = samples.size();
        if (n < 2) {
            throw new IllegalArgumentException("a leave-one-out baseline needs at least 2 samples, got " + n);
        }
        double sum = samples.stream().mapToDouble(Sample::reward).sum();
        double[] baselines = new double[n];
        for (int k = 0; k < n; k++) {
            baselines[k] = (sum - samples.get(k).reward()) / (n - 1);
        }
        return baselines;
    }

    /** The loss gradient by label, every sample against one baseline. */
    public static Map<String, double[]> lossGradient(ArchitectureParameters arch, List<Sample> samples, double baseline) {
        double[] baselines = new double[samples.size()];
        java.util.Arrays.fill(baselines, baseline);
        return lossGradient(arch, samples, baselines);
    }

    /** The loss gradient by label, sample {@code k} against {@code baselines[k]}. */
    public static Map<String, double[]> lossGradient(ArchitectureParameters arch, List<Sample> samples,
            double[] baselines) {
        Map<String, double[]> gradient = new LinkedHashMap<>();
        for (String label : arch.labels()) {
            double[] p = arch.probabilities(label);
            double[] g = new double[p.length];
            for (int k = 0; k < samples.size(); k++) {
                Sample s = samples.get(k);
                ChoiceRouting routing = s.path().routing(label);
                int[] active = routing.active();
                if (active.length != 1) {
                    throw new IllegalArgumentException("REINFORCE samples one candidate per choice; '" + label
                            + "' picks " + active.length);
                }
                double advantage = s.reward() - baselines[k];
                for (int j = 0; j < p.length; j++) {
                    g[j] -= advantage * ((j == active[0] ? 1 : 0) - p[j]);
                }
            }
            for (int j = 0; j < g.length; j++) {
                g[j] /= samples.size();
            }
            gradient.put(label, g);
        }
        return gradient;
    }
}
