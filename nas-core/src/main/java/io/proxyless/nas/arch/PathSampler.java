package io.proxyless.nas.arch;

import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.nn.ChoiceRouting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Samples binary gates from the architecture probabilities, per the chosen {@link BinaryMode}. */
public final class PathSampler {

    private final BinaryMode mode;

    public PathSampler(BinaryMode mode) {
        this.mode = mode;
    }

    public BinaryMode mode() {
        return mode;
    }

    /** Samples one path: every choice gets its active candidate(s) and its estimator set. */
    public SampledPath sample(ArchitectureParameters arch, Map<String, Choice> choices, Random random) {
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        for (Map.Entry<String, Choice> entry : choices.entrySet()) {
            String label = entry.getKey();
            double[] p = arch.probabilities(label);
            int k = entry.getValue().numChosen();
            routing.put(label, sampleChoice(p, k, random));
        }
        return new SampledPath(routing);
    }

    ChoiceRouting sampleChoice(double[] p, int numChosen, Random random) {
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
    static int[] withoutReplacement(double[] p, int k, Random random) {
        double[] weights = p.clone();
        int[] picked = new int[k];
        for (int i = 0; i < k; i++) {
            picked[i] = draw(weights, random);
            weights[picked[i]] = 0;
        }
        return picked;
    }

    static int draw(double[] weights, Random random) {
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
