package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.BinaryConnect;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.nn.ChoiceRouting;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency term's alpha gradient against finite differences: of E alone, and of the whole
 * regularised loss {@code L(alpha) = f(CE(alpha), E(alpha))}, where the cross-entropy part is what
 * BinaryConnect estimates in mode full_v2 with gate gradients {@code c_j}: {@code CE = sum_j p_j c_j}.
 */
class LatencyLossTest {

    private static final Map<String, double[]> COSTS = new LinkedHashMap<>();
    private static final Map<String, double[]> CE = new LinkedHashMap<>();

    static {
        COSTS.put("s0", new double[] {3.0, 5.5, 9.0});
        COSTS.put("s1", new double[] {2.0, 7.0, 4.0, 0.0});
        CE.put("s0", new double[] {1.2, 0.7, 0.9});
        CE.put("s1", new double[] {0.4, 1.6, 1.1, 2.0});
    }

    private static ArchitectureParameters arch() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put("s0", List.of("a", "b", "c"));
        names.put("s1", List.of("a", "b", "c", "zero"));
        ArchitectureParameters arch = ArchitectureParameters.initialise(names, 3);
        double[] a0 = arch.alpha("s0");
        a0[0] = 0.3;
        a0[1] = -0.6;
        a0[2] = 0.1;
        double[] a1 = arch.alpha("s1");
        a1[0] = 0.5;
        a1[1] = 0.2;
        a1[2] = -0.4;
        a1[3] = 0.05;
        return arch;
    }

    private static SpaceLatency latency() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put("s0", List.of("a", "b", "c"));
        names.put("s1", List.of("a", "b", "c", "zero"));
        return new SpaceLatency("test", "ms", 11.0, COSTS, names);
    }

    private static double crossEntropy(ArchitectureParameters arch) {
        double ce = 0;
        for (String label : CE.keySet()) {
            double[] p = arch.probabilities(label);
            for (int i = 0; i < p.length; i++) {
                ce += p[i] * CE.get(label)[i];
            }
        }
        return ce;
    }

    private static void checkAgainstFiniteDifferences(LatencyLoss loss) {
        ArchitectureParameters arch = arch();
        double ce = crossEntropy(arch);
        ArchitectureLoss.Terms terms = loss.evaluate(arch, null, ce);
        for (String label : COSTS.keySet()) {
            double[] alpha = arch.alpha(label);
            int n = alpha.length;
            double[] bc = BinaryConnect.alphaGradient(alpha,
                    new ChoiceRouting(new int[] {0}, java.util.stream.IntStream.range(0, n).toArray()), CE.get(label));
            for (int i = 0; i < n; i++) {
                double analyticE = loss.expectedLatencyGradient(arch, null).get(label)[i];
                double analyticL = terms.crossEntropyScale() * bc[i] + terms.alphaGradients().get(label)[i];
                double saved = alpha[i];
                double h = 1e-6;
                alpha[i] = saved + h;
                double ePlus = loss.expectedLatency(arch);
                double lPlus = loss.loss(crossEntropy(arch), ePlus);
                alpha[i] = saved - h;
                double eMinus = loss.expectedLatency(arch);
                double lMinus = loss.loss(crossEntropy(arch), eMinus);
                alpha[i] = saved;
                assertEquals((ePlus - eMinus) / (2 * h), analyticE, 1e-6, "dE/dalpha " + label + "[" + i + "]");
                assertEquals((lPlus - lMinus) / (2 * h), analyticL, 1e-6, "dL/dalpha " + label + "[" + i + "]");
            }
        }
    }

    @Test
    void addLinearGradientMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(new LatencyLoss(latency(), LatencyLoss.Type.ADD_LINEAR, 20.0, Map.of("lambda", 0.7)));
    }

    @Test
    void mulLogGradientMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(new LatencyLoss(latency(), LatencyLoss.Type.MUL_LOG, 20.0, Map.of()));
        checkAgainstFiniteDifferences(
                new LatencyLoss(latency(), LatencyLoss.Type.MUL_LOG, 15.0, Map.of("alpha", 1.0, "beta", 0.6)));
    }

    @Test
    void expectedLatencyIsTheProbabilityWeightedSum() {
        ArchitectureParameters arch = arch();
        LatencyLoss loss = new LatencyLoss(latency(), LatencyLoss.Type.ADD_LINEAR, 20.0, Map.of());
        double expected = 11.0;
        for (String label : COSTS.keySet()) {
            double[] p = arch.probabilities(label);
            for (int i = 0; i < p.length; i++) {
                expected += p[i] * COSTS.get(label)[i];
            }
        }
        assertEquals(expected, loss.expectedLatency(arch), 1e-12);
    }

    /**
     * In mode two the loss's E is taken over each cell's sampled pair with the pair's softmax (the
     * other candidates count 0), as the authors compute it; its gradient is that function's, and 0
     * outside the pair. The metrics still report E under the full softmax.
     */
    @Test
    void inModeTwoTheLatencyTermIsOverThePair() {
        ArchitectureParameters arch = arch();
        LatencyLoss loss = new LatencyLoss(latency(), LatencyLoss.Type.MUL_LOG, 20.0, Map.of());
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        routing.put("s0", new ChoiceRouting(new int[] {2}, new int[] {2, 0}));
        routing.put("s1", new ChoiceRouting(new int[] {1}, new int[] {1, 3}));
        SampledPath path = new SampledPath(routing);
        double pairE = 11.0;
        for (String label : COSTS.keySet()) {
            int[] pair = routing.get(label).gated();
            double[] q = ArchitectureParameters.softmax(new double[] {arch.alpha(label)[pair[0]], arch.alpha(label)[pair[1]]});
            pairE += q[0] * COSTS.get(label)[pair[0]] + q[1] * COSTS.get(label)[pair[1]];
        }
        assertEquals(pairE, loss.expectedLatency(arch, path), 1e-12);
        ArchitectureLoss.Terms terms = loss.evaluate(arch, path, 0.8);
        for (String label : COSTS.keySet()) {
            double[] alpha = arch.alpha(label);
            int[] pair = routing.get(label).gated();
            double[] g = loss.expectedLatencyGradient(arch, path).get(label);
            for (int i = 0; i < alpha.length; i++) {
                double saved = alpha[i];
                double h = 1e-6;
                alpha[i] = saved + h;
                double lPlus = loss.loss(0.8, loss.expectedLatency(arch, path));
                double ePlus = loss.expectedLatency(arch, path);
                alpha[i] = saved - h;
                double lMinus = loss.loss(0.8, loss.expectedLatency(arch, path));
                double eMinus = loss.expectedLatency(arch, path);
                alpha[i] = saved;
                assertEquals((ePlus - eMinus) / (2 * h), g[i], 1e-6, "dE_pair/dalpha " + label + "[" + i + "]");
                // With the cross-entropy held fixed, dL/dalpha is the latency term's gradient alone.
                assertEquals((lPlus - lMinus) / (2 * h), terms.alphaGradients().get(label)[i], 1e-6,
                        "dL/dalpha " + label + "[" + i + "]");
                if (i != pair[0] && i != pair[1]) {
                    assertEquals(0.0, g[i], "outside the pair " + label + "[" + i + "]");
                }
            }
        }
    }

    /**
     * {@code (ln E / ln ref)^beta} is NaN for a negative ratio and infinite in its gradient at 0. A
     * table whose cheapest network costs 1 or less (in its unit), or a reference of 1 or less, is
     * refused with both numbers, instead of searching on NaN.
     */
    @Test
    void mulLogRefusesLatenciesItsLogarithmCannotTake() {
        Map<String, List<String>> names = Map.of("s0", List.of("a", "b"));
        SpaceLatency subMs = new SpaceLatency("cpu", "ms", 0.2, Map.of("s0", new double[] {0.3, 0.6}), names);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyLoss(subMs, LatencyLoss.Type.MUL_LOG, 0.65, Map.of()));
        assertTrue(e.getMessage().contains("mul#log") && e.getMessage().contains("0.5") && e.getMessage().contains("0.65")
                && e.getMessage().contains("(ms)"), e.getMessage());
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class,
                () -> new LatencyLoss(latency(), LatencyLoss.Type.MUL_LOG, 0.9, Map.of()));
        assertTrue(ref.getMessage().contains("ref_latency is 0.9"), ref.getMessage());
        // add#linear has no logarithm: the same table is fine there.
        LatencyLoss linear = new LatencyLoss(subMs, LatencyLoss.Type.ADD_LINEAR, 0.65, Map.of());
        assertTrue(Double.isFinite(linear.evaluate(ArchitectureParameters.initialise(names, 1), null, 1.0)
                .alphaGradients().get("s0")[0]));
        assertEquals(0.5, subMs.cheapest(), 1e-12);
    }

    @Test
    void parametersOfTheOtherTypeAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyLoss(latency(), LatencyLoss.Type.ADD_LINEAR, 20.0, Map.of("beta", 0.3)));
        assertTrue(e.getMessage().contains("'beta'") && e.getMessage().contains("lambda"), e.getMessage());
    }
}
