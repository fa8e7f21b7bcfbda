package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.PolicyGradient;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.nn.ChoiceRouting;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReinforceRewardTest {

    private static final Map<String, List<String>> NAMES = Map.of("s0", List.of("a", "b", "c"), "s1", List.of("a", "b", "c"));

    private static ArchitectureParameters arch() {
        ArchitectureParameters arch = ArchitectureParameters.initialise(NAMES, Map.of(), 3);
        System.arraycopy(new double[] {0.4, -0.1, 0.2}, 0, arch.alpha("s0"), 0, 3);
        return arch;
    }

    private static List<PolicyGradient.Sample> step(SplittableRandom random, double shift) {
        List<PolicyGradient.Sample> samples = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
            routing.put("s0", ChoiceRouting.only(random.nextInt(3)));
            routing.put("s1", ChoiceRouting.only(random.nextInt(3)));
            samples.add(new PolicyGradient.Sample(new SampledPath(routing), 0.3 + 0.5 * random.nextDouble() + shift));
        }
        return samples;
    }

    /**
     * A batch that is harder or easier shifts every reward of the step alike: the gradient is the
     * same whatever the shift, on every step of a run (the moving baseline's history does not leak in).
     */
    @Test
    void aConstantAddedToEveryRewardOfAStepLeavesTheGradientUnchanged() {
        ReinforceReward plain = new ReinforceReward(null, Double.NaN, null, 6, "soft");
        ReinforceReward shifted = new ReinforceReward(null, Double.NaN, null, 6, "soft");
        SplittableRandom a = new SplittableRandom(1);
        SplittableRandom b = new SplittableRandom(1);
        SplittableRandom shifts = new SplittableRandom(2);
        for (int s = 0; s < 20; s++) {
            Map<String, double[]> g = plain.step(arch(), step(a, 0));
            Map<String, double[]> h = shifted.step(arch(), step(b, shifts.nextDouble() - 0.5));
            for (String label : g.keySet()) {
                assertArrayEquals(g.get(label), h.get(label), 1e-12, "step " + s + ", " + label);
            }
        }
    }

    /** MnasNet's rewards around a target T: soft on both sides, hard only above. */
    @Test
    void softAndHardRewardsAroundTheTarget() {
        SpaceLatency latency = new SpaceLatency("test", "MMACs", 1.0,
                Map.of("s0", new double[] {1, 2, 3}, "s1", new double[] {1, 2, 3}), NAMES);
        Map<String, List<String>> under = Map.of("s0", List.of("a"), "s1", List.of("a"));
        Map<String, List<String>> over = Map.of("s0", List.of("c"), "s1", List.of("c"));
        double target = 4.0;
        ReinforceReward soft = new ReinforceReward(latency, Double.NaN, target, 4, "soft");
        ReinforceReward hard = new ReinforceReward(latency, Double.NaN, target, 4, "hard");
        assertEquals(0.8 * Math.pow(3.0 / 4, -0.07), soft.reward(0.8, under), 1e-12);
        assertEquals(0.8 * Math.pow(7.0 / 4, -0.07), soft.reward(0.8, over), 1e-12);
        assertEquals(0.8, hard.reward(0.8, under), 1e-12);
        assertEquals(0.8 * 4.0 / 7, hard.reward(0.8, over), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new ReinforceReward(latency, 1, target, 4, "medium"));
    }
}
