package io.proxyless.nas.arch;

import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.nn.ChoiceRouting;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Samples binary gates from the architecture probabilities. A weight step draws each choice's active
 * candidate(s) from {@code p}, in every mode, as the authors' weight step does. An architecture step
 * samples as its {@link BinaryMode} says: in mode {@code two}, a pair drawn from {@code p} and the
 * active one of the pair from the pair's softmax, a procedure whose marginal is not {@code p}
 * (it favours the leading candidate) and so belongs to architecture steps only.
 */
public final class PathSampler {

    private final BinaryMode mode;

    public PathSampler(BinaryMode mode) {
        this.mode = mode;
    }

    public BinaryMode mode() {
        return mode;
    }

    /** A weight step's path: each choice's active candidate(s) drawn from {@code p}, no gates. */
    public SampledPath sampleForWeights(ArchitectureParameters arch, Map<String, Choice> choices, RandomGenerator random) {
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        for (Map.Entry<String, Choice> entry : choices.entrySet()) {
            double[] p = arch.probabilities(entry.getKey());
            routing.put(entry.getKey(), new ChoiceRouting(withoutReplacement(p, entry.getValue().numChosen(), random),
                    new int[0]));
        }
        return new SampledPath(routing, Set.of());
    }

    /**
     * An architecture step's path: every choice gets its active candidate(s) and its estimator set
     * (the pair in mode {@code two}, every candidate in {@code full_v2} and for choices that pick
     * several). A cell whose active candidate is {@code zero} gets no update, as in the authors'
     * code, so it is marked and its gates are not computed.
     */
    public SampledPath sampleForArchitecture(
            ArchitectureParameters arch, Map<String, Choice> choices, RandomGenerator random) {
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        Set<String> zeroActive = new LinkedHashSet<>();
        for (Map.Entry<String, Choice> entry : choices.entrySet()) {
            String label = entry.getKey();
            Choice choice = entry.getValue();
            ChoiceRouting sampled = sampleChoice(arch.probabilities(label), choice.numChosen(), random);
            routing.put(label, sampled);
            int[] active = sampled.active();
            if (active.length == 1 && choice.isZero(active[0])) {
                zeroActive.add(label);
            }
        }
        return new SampledPath(routing, zeroActive);
    }

    ChoiceRouting sampleChoice(double[] p, int numChosen, RandomGenerator random) {
        int n = p.length;
        if (numChosen > 1 || n == 1) {
            return new ChoiceRouting(withoutReplacement(p, numChosen, random), all(n));
        }
        if (mode == BinaryMode.FULL_V2) {
            return new ChoiceRouting(new int[] {draw(p, random)}, all(n));
        }
        int[] pair = withoutReplacement(p, 2, random);
        double[] pairProbs = ArchitectureParameters.softmax(
                new double[] {Math.log(p[pair[0]]), Math.log(p[pair[1]])});
        int active = random.nextDouble() < pairProbs[0] ? pair[0] : pair[1];
        return new ChoiceRouting(new int[] {active}, pair);
    }

    private static int[] all(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /** Sequential draws without replacement, as {@code torch.multinomial(p, k, replacement=False)}. */
    static int[] withoutReplacement(double[] p, int k, RandomGenerator random) {
        double[] weights = p.clone();
        int[] picked = new int[k];
        for (int i = 0; i < k; i++) {
            picked[i] = draw(weights, random);
            weights[picked[i]] = 0;
        }
        return picked;
    }

    static int draw(double[] weights, RandomGenerator random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] <= 0) {
                continue;
            }
            last = i;
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return last;
    }
}
