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
 * not depend on the step's samples, its expectation is {@code -grad E[R]}, so Adam on it climbs the
 * expected reward.
 */
public final class PolicyGradient {

    private PolicyGradient() {}

    /** One sampled architecture and its reward. */
    public record Sample(SampledPath path, double reward) {}

    /** The loss gradient by label, for the samples of one step and the baseline before them. */
    public static Map<String, double[]> lossGradient(ArchitectureParameters arch, List<Sample> samples, double baseline) {
        Map<String, double[]> gradient = new LinkedHashMap<>();
        for (String label : arch.labels()) {
            double[] p = arch.probabilities(label);
            double[] g = new double[p.length];
            for (Sample s : samples) {
                ChoiceRouting routing = s.path().routing(label);
                int[] active = routing.active();
                if (active.length != 1) {
                    throw new IllegalArgumentException("REINFORCE samples one candidate per choice; '" + label
                            + "' picks " + active.length);
                }
                double advantage = s.reward() - baseline;
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
