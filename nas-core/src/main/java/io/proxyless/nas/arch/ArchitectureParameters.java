package io.proxyless.nas.arch;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The architecture logits {@code alpha}, one vector per choice label, and their softmax. */
public final class ArchitectureParameters implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> candidates = new LinkedHashMap<>();
    private final Map<String, double[]> alphas = new LinkedHashMap<>();

    /**
     * Draws every alpha from N(0, 1e-3), as the authors do.
     *
     * @param candidates candidate names by label, in model order
     */
    public static ArchitectureParameters initialise(Map<String, List<String>> candidates, long seed) {
        ArchitectureParameters params = new ArchitectureParameters();
        Random random = new Random(seed);
        candidates.forEach((label, names) -> {
            double[] alpha = new double[names.size()];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = 1e-3 * random.nextGaussian();
            }
            params.candidates.put(label, List.copyOf(names));
            params.alphas.put(label, alpha);
        });
        return params;
    }

    public List<String> labels() {
        return List.copyOf(alphas.keySet());
    }

    public List<String> candidateNames(String label) {
        return candidates.get(label);
    }

    /** The live alpha vector of a label (updated in place by the optimizer). */
    public double[] alpha(String label) {
        double[] alpha = alphas.get(label);
        if (alpha == null) {
            throw new IllegalArgumentException("no architecture parameters for choice '" + label + "'");
        }
        return alpha;
    }

    public double[] probabilities(String label) {
        return softmax(alpha(label));
    }

    /** Index of the most probable candidate. */
    public int argmax(String label) {
        double[] alpha = alpha(label);
        int best = 0;
        for (int i = 1; i < alpha.length; i++) {
            if (alpha[i] > alpha[best]) {
                best = i;
            }
        }
        return best;
    }

    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** A deep copy, for checkpoints and comparisons. */
    public ArchitectureParameters copy() {
        ArchitectureParameters copy = new ArchitectureParameters();
        candidates.forEach(copy.candidates::put);
        alphas.forEach((label, alpha) -> copy.alphas.put(label, alpha.clone()));
        return copy;
    }
}
