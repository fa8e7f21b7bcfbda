package io.proxyless.nas.train;

import ai.djl.ndarray.NDArray;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.FlopsTable;
import io.proxyless.nas.latency.LatencyLoss;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The architecture step, driver and worker side, against the authors' semantics. */
class ArchitectureStepTest extends SmallSupernetTest {


    /**
     * Mode two rescales the pair so that the candidates outside it keep their probability. With a
     * latency term over every candidate, Adam moved those too at every step; over the pair with the
     * pair's softmax, as the authors compute it, they stay put: 200 steps, lambda 5, random gate
     * gradients.
     */
    @Test
    void inModeTwoALatencyTermMovesOnlyThePair() {
        TrainerConfig modeTwo = config.toBuilder().set("binary_mode", "two").build();
        SupernetMaster master = SearchRun.newMaster(modeTwo, supernet);
        SpaceLatency latency = SpaceLatency.of(modeTwo.model(), FlopsTable.forSpace(modeTwo.model(), 1));
        LatencyLoss loss = new LatencyLoss(latency, LatencyLoss.Type.ADD_LINEAR, latency.cheapest() * 2, Map.of("lambda", 5.0));
        PathSampler sampler = new PathSampler(modeTwo.binaryMode());
        Random random = new Random(4);
        ArchitectureParameters arch = master.architecture();
        int moved = 0;
        for (int step = 0; step < 200; step++) {
            SampledPath path = sampler.sampleForArchitecture(arch, master.choices(), random);
            Map<String, double[]> gates = new LinkedHashMap<>();
            for (String label : arch.labels()) {
                gates.put(label, random.doubles(arch.alpha(label).length, -0.1, 0.1).toArray());
            }
            Map<String, double[]> before = new LinkedHashMap<>();
            arch.labels().forEach(label -> before.put(label, arch.probabilities(label)));
            var terms = loss.evaluate(arch, path, 1.0);
            master.applyArchitectureStep(new StepResult(Map.of(), gates, Map.of(), 1, 0, 1), path,
                    terms.crossEntropyScale(), terms.alphaGradients());
            for (String label : arch.labels()) {
                double[] p0 = before.get(label);
                double[] p1 = arch.probabilities(label);
                int[] pair = path.routing(label).gated();
                assertEquals(2, pair.length);
                for (int i = 0; i < p0.length; i++) {
                    if (i != pair[0] && i != pair[1]) {
                        assertEquals(p0[i], p1[i], 1e-12, "step " + step + ": " + label + " candidate " + i + " outside "
                                + java.util.Arrays.toString(pair));
                    }
                }
                assertEquals(p0[pair[0]] + p0[pair[1]], p1[pair[0]] + p1[pair[1]], 1e-12);
                moved += Math.abs(p1[pair[0]] - p0[pair[0]]) > 1e-9 ? 1 : 0;
            }
        }
        assertTrue(moved > 300, "pairs moved in " + moved + " cell steps");
    }

    /** An architecture step needs only gate gradients: it leaves every weight's gradient buffer alone. */
    @Test
    void anArchitectureStepComputesNoWeightGradient() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        SampledPath path = new PathSampler(config.binaryMode())
                .sampleForArchitecture(master.architecture(), master.choices(), new Random(2));
        int[] labels = {0, 1, 2, 3, 4, 5};
        float[] images = WeightStepTest.randomImages(labels.length, 5);
        // A weight step first gives every parameter a gradient buffer, then the test marks it.
        SampledPath weightPath = new SampledPath(path.forWeightStep());
        supernet.load(master.weightsFor(weightPath, StepKind.WEIGHT));
        worker.compute(new StepRequest(StepKind.WEIGHT, weightPath, labels.length, 0f, 1L), images, labels);
        String marked = "classifier.weight";
        NDArray gradient = supernet.parameter(marked).getArray().getGradient();
        gradient.addi(1f);
        supernet.load(master.weightsFor(path, StepKind.ARCHITECTURE));
        StepResult result = worker.compute(
                new StepRequest(StepKind.ARCHITECTURE, path, labels.length, 0f, 1L), images, labels);
        assertTrue(result.gradients().isEmpty());
        assertTrue(result.gateGradients().values().stream().anyMatch(g -> java.util.Arrays.stream(g).anyMatch(v -> v != 0)));
        float[] after = supernet.parameter(marked).getArray().getGradient().toFloatArray();
        for (float v : after) {
            assertEquals(1f, v, "the architecture step wrote into " + marked + "'s gradient");
        }
        // The weights ask for gradients again: the next weight step trains them.
        supernet.load(master.weightsFor(weightPath, StepKind.WEIGHT));
        StepResult next = worker.compute(new StepRequest(StepKind.WEIGHT, weightPath, labels.length, 0f, 1L), images, labels);
        assertTrue(next.gradients().containsKey(marked));
        assertTrue(supernet.parameter(marked).getArray().hasGradient());
    }

    /**
     * A cell whose active op is zero gets no update (as in the authors' code), so it computes no
     * gates: its partner is not recomputed and its weights do not travel.
     */
    @Test
    void aZeroActiveCellRunsNoGatesAndKeepsItsAlpha() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        int zero = master.choices().get("s1").candidateNames().indexOf("zero");
        assertEquals(3, zero);
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        routing.put("s0", new ChoiceRouting(new int[] {1}, new int[] {1, 0}));
        routing.put("s1", new ChoiceRouting(new int[] {zero}, new int[] {zero, 2}));
        routing.put("s2", new ChoiceRouting(new int[] {0}, new int[] {0, 2}));
        SampledPath path = new SampledPath(routing, Set.of("s1"));
        Map<String, float[]> weights = master.weightsFor(path, StepKind.ARCHITECTURE);
        assertTrue(weights.keySet().stream().noneMatch(n -> n.startsWith("s1.")), "s1's partner k3e6 was shipped");
        assertTrue(weights.keySet().stream().anyMatch(n -> n.startsWith("s0.body.k3e3")), "s0's partner is shipped");
        supernet.load(weights);
        int[] labels = {0, 1, 2, 3};
        StepResult result = worker.compute(new StepRequest(StepKind.ARCHITECTURE, path, labels.length, 0f, 1L),
                WeightStepTest.randomImages(labels.length, 6), labels);
        assertArrayEquals(new double[4], result.gateGradients().get("s1"), "s1 computed gates");
        assertNotEquals(0.0, result.gateGradients().get("s0")[0]);
        double[] s1Before = master.architecture().alpha("s1").clone();
        double[] s0Before = master.architecture().alpha("s0").clone();
        master.applyArchitectureStep(result, path, 1.0, Map.of());
        assertArrayEquals(s1Before, master.architecture().alpha("s1"));
        assertFalse(java.util.Arrays.equals(s0Before, master.architecture().alpha("s0")));
    }

    /** The authors' architecture step runs in train mode, so batch norm's running statistics follow it. */
    @Test
    void anArchitectureStepUpdatesTheRunningStatisticsOfItsPath() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        routing.put("s0", new ChoiceRouting(new int[] {1}, new int[] {1, 0}));
        routing.put("s1", new ChoiceRouting(new int[] {0}, new int[] {0, 2}));
        routing.put("s2", new ChoiceRouting(new int[] {2}, new int[] {2, 1}));
        SampledPath path = new SampledPath(routing);
        Map<String, float[]> before = new LinkedHashMap<>();
        master.allValues().forEach((name, v) -> before.put(name, v.clone()));
        supernet.load(master.weightsFor(path, StepKind.ARCHITECTURE));
        int[] labels = {0, 1, 2, 3, 4, 5};
        StepResult result = worker.compute(new StepRequest(StepKind.ARCHITECTURE, path, labels.length, 0f, 1L),
                WeightStepTest.randomImages(labels.length, 7), labels);
        master.applyArchitectureStep(result, path, 1.0, Map.of());
        int updated = 0;
        for (ParameterInfo info : supernet.parameterInfos()) {
            if (info.kind() != ParameterInfo.Kind.RUNNING_MEAN) {
                continue;
            }
            boolean changed = !java.util.Arrays.equals(before.get(info.name()), master.allValues().get(info.name()));
            boolean active = info.isShared() || path.routing(info.ownerLabel()).isActive(info.ownerCandidate());
            assertEquals(active, changed, info.name() + (active ? " on the active path kept its statistics"
                    : " only recomputed for its gate changed its statistics"));
            updated += changed ? 1 : 0;
        }
        assertTrue(updated > 5, "running means updated: " + updated);
        for (var e : master.allValues().entrySet()) {
            if (supernet.info(e.getKey()).isTrainable()) {
                assertArrayEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is a weight: no SGD in an architecture step");
            }
        }
    }
}
