package io.proxyless.nas.arch;

import io.proxyless.nas.random.RandomStreams;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** The architecture logits {@code alpha}, one vector per choice label, and their softmax. */
public final class ArchitectureParameters implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> candidates = new LinkedHashMap<>();
    private final Map<String, double[]> alphas = new LinkedHashMap<>();
    private final Map<String, Integer> numChosen = new LinkedHashMap<>();

    /** {@link #initialise(Map, Map, long)} for choices that each pick one candidate. */
    public static ArchitectureParameters initialise(Map<String, List<String>> candidates, long seed) {
        return initialise(candidates, Map.of(), seed);
    }

    /**
     * Draws every alpha from N(0, 1e-3), as the authors do.
     *
     * @param candidates candidate names by label, in model order
     * @param numChosen how many candidates a label picks, where more than one
     */
    public static ArchitectureParameters initialise(
            Map<String, List<String>> candidates, Map<String, Integer> numChosen, long seed) {
        ArchitectureParameters params = new ArchitectureParameters();
        RandomGenerator random = RandomStreams.of(seed, RandomStreams.Purpose.ARCHITECTURE_INIT);
        candidates.forEach((label, names) -> {
            double[] alpha = new double[names.size()];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = 1e-3 * random.nextGaussian();
            }
            int k = numChosen.getOrDefault(label, 1);
            if (k < 1 || k > names.size()) {
                throw new IllegalArgumentException("choice '" + label + "' picks " + k + " of " + names.size());
            }
            params.candidates.put(label, List.copyOf(names));
            params.alphas.put(label, alpha);
            params.numChosen.put(label, k);
        });
        return params;
    }

    /** How many candidates the label picks. */
    public int numChosen(String label) {
        alpha(label);
        return numChosen.get(label);
    }

    /** The {@link #numChosen} most probable candidates, in index order (ties to the lower index). */
    public int[] topK(String label) {
        double[] alpha = alpha(label);
        return java.util.stream.IntStream.range(0, alpha.length).boxed()
                .sorted((a, b) -> alpha[a] != alpha[b] ? Double.compare(alpha[b], alpha[a]) : Integer.compare(a, b))
                .limit(numChosen(label)).mapToInt(Integer::intValue).sorted().toArray();
    }

    public List<String> labels() {
        return List.copyOf(alphas.keySet());
    }

    /**
     * Each label's chosen candidates, in model order: the most probable one, or for a choice that
     * picks {@code k} (an {@code InputChoice} with {@code n_chosen = k}) the {@code k} most probable,
     * in candidate order: the network the search would export.
     */
    public Map<String, List<String>> chosen() {
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        for (String label : labels()) {
            List<String> names = candidateNames(label);
            chosen.put(label, java.util.Arrays.stream(topK(label)).mapToObj(names::get).toList());
        }
        return chosen;
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

    /** The softmax over {@code subset}'s logits only, in subset order: a pair's probabilities among themselves. */
    public static double[] softmax(double[] logits, int[] subset) {
        double[] selected = new double[subset.length];
        for (int i = 0; i < subset.length; i++) {
            selected[i] = logits[subset[i]];
        }
        return softmax(selected);
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
        numChosen.forEach(copy.numChosen::put);
        return copy;
    }
}
