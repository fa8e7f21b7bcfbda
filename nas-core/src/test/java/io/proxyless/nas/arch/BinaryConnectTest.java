package io.proxyless.nas.arch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.proxyless.nas.choice.InputChoice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.nn.GateRecorder;
import io.proxyless.nas.nn.StepContext;
import io.proxyless.nas.optim.AdamOptimizer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator against finite differences. With a loss linear in the cell output, {@code dL/dg_j} is
 * the loss of candidate j, whichever candidate was sampled, so the BinaryConnect gradient equals the
 * exact gradient of the expected loss {@code E(alpha) = sum_j p_j(alpha) L(o_j)} (over the pair, with
 * the pair's softmax, in mode two).
 */
class BinaryConnectTest {

    private static final float[] SCALES = {0.5f, -1.5f, 2.0f};
    private static final float[] X = {1f, -2f, 3f, 0.5f};
    private static final float[] LOSS_WEIGHTS = {0.3f, 0.7f, -0.2f, 1.1f};

    private static double candidateLoss(int j) {
        double loss = 0;
        for (int i = 0; i < X.length; i++) {
            loss += LOSS_WEIGHTS[i] * SCALES[j] * X[i];
        }
        return loss;
    }

    private static double expectedLoss(double[] alpha, int[] set) {
        double[] setAlpha = new double[set.length];
        for (int i = 0; i < set.length; i++) {
            setAlpha[i] = alpha[set[i]];
        }
        double[] p = ArchitectureParameters.softmax(setAlpha);
        double e = 0;
        for (int i = 0; i < set.length; i++) {
            e += p[i] * candidateLoss(set[i]);
        }
        return e;
    }

    private static Block scale(float c) {
        return new LambdaBlock((Function<NDList, NDList>) list -> new NDList(list.head().mul(c)));
    }

    /** Real forward and backward through the choice block; returns dL/dg by candidate. */
    private static double[] gateGradients(Block choice, NDList inputs, ChoiceRouting routing, int n) {
        GateRecorder gates = new GateRecorder();
        StepContext context = new StepContext(Map.of("c", routing), null, gates);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = choice.forward(new ParameterStore(inputs.head().getManager(), false), inputs, true,
                    context.asForwardParameters()).singletonOrThrow();
            NDArray loss = y.mul(inputs.head().getManager().create(LOSS_WEIGHTS)).sum();
            collector.backward(loss);
        }
        return gates.gradients("c", n);
    }

    /** {@code df/dalpha_i} by central differences. */
    private static double centralDifference(double[] alpha, int i, java.util.function.ToDoubleFunction<double[]> f) {
        double h = 1e-5;
        double[] plus = alpha.clone();
        double[] minus = alpha.clone();
        plus[i] += h;
        minus[i] -= h;
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }

    private static void assertMatchesFiniteDifference(double[] alpha, ChoiceRouting routing, double[] gateGrads) {
        double[] analytic = BinaryConnect.alphaGradient(alpha, routing, gateGrads);
        int[] set = routing.gated();
        for (int i = 0; i < alpha.length; i++) {
            double numeric = centralDifference(alpha, i, a -> expectedLoss(a, set));
            assertEquals(numeric, analytic[i], 1e-7, "dE/dalpha_" + i + " routing " + routing);
        }
    }

    private static LayerChoice layerChoice() {
        LayerChoice.Builder builder = LayerChoice.builder().setLabel("c");
        for (int j = 0; j < SCALES.length; j++) {
            builder.addCandidate("op" + j, scale(SCALES[j]));
        }
        return builder.build();
    }

    @Test
    void layerChoiceFullModeMatchesExpectedLossGradient() {
        double[] alpha = {0.2, -0.4, 0.9};
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerChoice choice = layerChoice();
            choice.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(X.length));
            for (int active = 0; active < 3; active++) {
                ChoiceRouting routing = new ChoiceRouting(new int[] {active}, new int[] {0, 1, 2});
                double[] grads = gateGradients(choice, new NDList(manager.create(X)), routing, 3);
                for (int j = 0; j < 3; j++) {
                    assertEquals(candidateLoss(j), grads[j], 1e-5, "dL/dg_" + j);
                }
                assertMatchesFiniteDifference(alpha, routing, grads);
            }
        }
    }

    @Test
    void layerChoicePairModeMatchesPairExpectedLossGradient() {
        double[] alpha = {0.2, -0.4, 0.9};
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerChoice choice = layerChoice();
            choice.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(X.length));
            ChoiceRouting routing = new ChoiceRouting(new int[] {2}, new int[] {2, 0});
            double[] grads = gateGradients(choice, new NDList(manager.create(X)), routing, 3);
            assertEquals(0.0, grads[1], "candidate outside the pair gets no gate gradient");
            assertMatchesFiniteDifference(alpha, routing, grads);
            assertEquals(0.0, BinaryConnect.alphaGradient(alpha, routing, grads)[1]);
        }
    }

    @Test
    void inputChoiceUsesTheSameEstimator() {
        double[] alpha = {-0.3, 0.1, 0.5};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            NDList inputs = new NDList(x.mul(SCALES[0]), x.mul(SCALES[1]), x.mul(SCALES[2]));
            InputChoice choice = InputChoice.builder().setLabel("c").setNumCandidates(3).build();
            ChoiceRouting routing = new ChoiceRouting(new int[] {1}, new int[] {0, 1, 2});
            double[] grads = gateGradients(choice, inputs, routing, 3);
            assertMatchesFiniteDifference(alpha, routing, grads);
        }
    }

    /**
     * For k drawn without replacement from p, the probability that j is among them, by the test's
     * own enumeration of the ordered draws.
     */
    private static double[] inclusion(double[] alpha, int k) {
        double[] p = ArchitectureParameters.softmax(alpha);
        double[] pi = new double[p.length];
        enumerate(p, k, new int[k], 0, 1.0, pi);
        return pi;
    }

    private static void enumerate(double[] p, int k, int[] seq, int depth, double prob, double[] pi) {
        if (depth == k) {
            for (int j : seq) {
                pi[j] += prob;
            }
            return;
        }
        double drawn = 0;
        for (int t = 0; t < depth; t++) {
            drawn += p[seq[t]];
        }
        outer:
        for (int c = 0; c < p.length; c++) {
            for (int t = 0; t < depth; t++) {
                if (seq[t] == c) {
                    continue outer;
                }
            }
            seq[depth] = c;
            enumerate(p, k, seq, depth + 1, prob * p[c] / (1 - drawn), pi);
        }
    }

    /**
     * An input choice that sums two of four inputs: the output is {@code sum_{j in S} x_j}, so with a
     * linear loss {@code E[L] = sum_j pi_j L_j}. The k-hot estimator must be its gradient; the one-hot
     * formula, which this choice used before, is not (checked too).
     */
    @Test
    void inputChoiceOfTwoMatchesTheGradientOfTheExpectedLoss() {
        float[] scales = {0.5f, -1.5f, 2.0f, 0.8f};
        double[] alpha = {0.4, -0.3, 0.1, 0.7};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            NDList inputs = new NDList();
            double[] losses = new double[scales.length];
            for (int j = 0; j < scales.length; j++) {
                inputs.add(x.mul(scales[j]));
                for (int i = 0; i < X.length; i++) {
                    losses[j] += LOSS_WEIGHTS[i] * scales[j] * X[i];
                }
            }
            InputChoice choice = InputChoice.builder().setLabel("c").setNumCandidates(4).optNumChosen(2).build();
            ChoiceRouting routing = new ChoiceRouting(new int[] {3, 1}, new int[] {0, 1, 2, 3});
            double[] grads = gateGradients(choice, inputs, routing, 4);
            for (int j = 0; j < 4; j++) {
                assertEquals(losses[j], grads[j], 1e-5, "dL/dg_" + j);
            }
            double[] analytic = BinaryConnect.alphaGradient(alpha, routing, grads);
            double[] oneHot = BinaryConnect.alphaGradient(alpha, new ChoiceRouting(new int[] {3}, new int[] {0, 1, 2, 3}), grads);
            double worstOneHot = 0;
            for (int i = 0; i < alpha.length; i++) {
                double numeric = centralDifference(alpha, i, a -> dot(inclusion(a, 2), losses));
                assertEquals(numeric, analytic[i], 1e-7, "dE/dalpha_" + i);
                worstOneHot = Math.max(worstOneHot, Math.abs(numeric - oneHot[i]));
            }
            assertTrue(worstOneHot > 0.05, "the one-hot formula would have been right too: " + worstOneHot);
        }
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** The estimator's inclusion probabilities are those of the sampler's own draws without replacement. */
    @Test
    void inclusionProbabilitiesAreTheSamplersFrequencies() {
        double[] alpha = {0.4, -0.3, 0.1, 0.7, -1.0};
        double[] p = ArchitectureParameters.softmax(alpha);
        double[] expected = new InclusionProbabilities(p, 3).probabilities();
        assertArrayEquals(inclusion(alpha, 3), expected, 1e-12);
        assertEquals(3.0, java.util.Arrays.stream(expected).sum(), 1e-12);
        java.util.Random random = new java.util.Random(8);
        int draws = 40_000;
        double[] counts = new double[p.length];
        for (int i = 0; i < draws; i++) {
            for (int c : PathSampler.withoutReplacement(p, 3, random)) {
                counts[c]++;
            }
        }
        for (int j = 0; j < p.length; j++) {
            double se = Math.sqrt(expected[j] * (1 - expected[j]) / draws);
            assertEquals(expected[j], counts[j] / draws, 5 * se, "candidate " + j);
        }
    }

    @Test
    void pairRescaleKeepsUnsampledProbabilities() {
        double[] alpha = {0.3, -0.2, 0.8, 0.1};
        double[] before = alpha.clone();
        double[] pBefore = ArchitectureParameters.softmax(alpha);
        int[] pair = {1, 3};
        double[] grad = {0, 0.7, 0, -0.4};
        AdamOptimizer adam = AdamOptimizer.forArchitecture(0.1);
        adam.step("c", alpha, grad);
        assertNotEquals(before[1], alpha[1]);
        BinaryConnect.rescalePair(before, alpha, pair);
        double[] pAfter = ArchitectureParameters.softmax(alpha);
        assertEquals(pBefore[0], pAfter[0], 1e-12);
        assertEquals(pBefore[2], pAfter[2], 1e-12);
        assertEquals(pBefore[1] + pBefore[3], pAfter[1] + pAfter[3], 1e-12);
        assertNotEquals(pBefore[1], pAfter[1], 1e-6);
    }

    @Test
    void samplerPairModeDrawsTwoDistinctCandidatesAndActivatesOneOfThem() {
        PathSampler sampler = new PathSampler(BinaryMode.TWO);
        java.util.Random random = new java.util.Random(3);
        double[] p = ArchitectureParameters.softmax(new double[] {2.0, 0.0, 0.0, -1.0});
        int[] activeCounts = new int[4];
        for (int i = 0; i < 4000; i++) {
            ChoiceRouting r = sampler.sampleChoice(p, 1, random);
            int[] pair = r.gated();
            assertEquals(2, pair.length);
            assertNotEquals(pair[0], pair[1]);
            activeCounts[r.active()[0]]++;
            assertEquals(true, r.active()[0] == pair[0] || r.active()[0] == pair[1]);
        }
        // The most probable candidate is active most often, the least probable least often; the
        // marginal itself is not p (SearchLoopTest measures it), which is why weight steps draw from p.
        assertEquals(true, activeCounts[0] > activeCounts[1] && activeCounts[1] > activeCounts[3]);
    }
}
