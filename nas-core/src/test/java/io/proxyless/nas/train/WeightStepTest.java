package io.proxyless.nas.train;

import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightStepTest extends SmallSupernetTest {


    static float[] randomImages(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    static SampledPath path(int... activePerCell) {
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        for (int i = 0; i < activePerCell.length; i++) {
            routing.put("s" + i, ChoiceRouting.only(activePerCell[i]));
        }
        return new SampledPath(routing);
    }

    @Test
    void weightStepTrainsExactlyTheSampledOpsAndSharedLayers() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        Map<String, float[]> before = new HashMap<>();
        master.allValues().forEach((k, v) -> before.put(k, v.clone()));
        SampledPath path = path(1, 2, 0);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        supernet.load(master.weightsFor(path, StepKind.WEIGHT));
        StepResult result = worker.compute(
                new StepRequest(StepKind.WEIGHT, path, labels.length, 0.1f, 1L), randomImages(labels.length, 1), labels);
        master.applyWeightStep(result, 0.1f);

        int changedCandidateParams = 0;
        for (ParameterInfo info : supernet.parameterInfos()) {
            boolean changed = !java.util.Arrays.equals(before.get(info.name()), master.allValues().get(info.name()));
            boolean onPath = info.isShared() || path.uses(info.ownerLabel(), info.ownerCandidate(), false);
            if (onPath) {
                // Every parameter and every BN statistic of the path moves (ReLU6 can stall a few
                // weights, but no whole tensor).
                assertTrue(changed, info.name() + " is on the sampled path but did not change");
                if (!info.isShared()) {
                    changedCandidateParams++;
                }
            } else {
                assertFalse(changed, info.name() + " is off the path but changed");
                assertNull(master.sgd().momentumBuffer(info.name()), info.name() + " got optimizer state");
            }
            if (onPath && info.isTrainable()) {
                assertNotNull(master.sgd().momentumBuffer(info.name()), info.name() + " has no momentum");
            }
        }
        assertTrue(changedCandidateParams > 10, "candidate parameters trained: " + changedCandidateParams);
    }

    @Test
    void gradientsMatchFiniteDifferencesOfTheLoss() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        SampledPath path = path(2, 3, 1);
        int[] labels = {3, 1, 4, 1};
        float[] images = randomImages(labels.length, 2);
        Map<String, float[]> weights = master.weightsFor(path, StepKind.WEIGHT);
        supernet.load(weights);
        StepRequest request = new StepRequest(StepKind.WEIGHT, path, labels.length, 0.1f, 1L);
        StepResult result = worker.compute(request, images, labels);
        assertEquals(weights.keySet(), result.gradients().keySet(), "a gradient for every path parameter");
        for (String name : new String[] {"s0.body.k3e6.depthwise.conv.weight", "classifier.weight", "stem.bn.gamma"}) {
            float[] w = weights.get(name);
            int index = w.length / 3;
            float saved = w[index];
            double h = 1e-2;
            w[index] = (float) (saved + h);
            supernet.load(weights);
            double plus = worker.compute(request, images, labels).meanLoss();
            w[index] = (float) (saved - h);
            supernet.load(weights);
            double minus = worker.compute(request, images, labels).meanLoss();
            w[index] = saved;
            double numeric = (plus - minus) / (2 * h);
            double analytic = result.gradients().get(name)[index];
            assertEquals(numeric, analytic, 2e-3 + 0.05 * Math.abs(numeric), name + "[" + index + "]");
        }
    }

    @Test
    void batchStatisticsOfShardsMergeIntoThoseOfTheWholeBatch() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        SampledPath path = path(0, 1, 2);
        int[] labels = {0, 1, 2, 3, 4, 5};
        float[] images = randomImages(labels.length, 3);
        supernet.load(master.weightsFor(path, StepKind.WEIGHT));
        StepRequest request = new StepRequest(StepKind.WEIGHT, path, labels.length, 0.1f, 1L);
        StepResult whole = worker.compute(request, images, labels);
        int half = images.length / 2;
        StepResult merged = worker.compute(request, java.util.Arrays.copyOfRange(images, 0, half), new int[] {0, 1, 2})
                .merge(worker.compute(request, java.util.Arrays.copyOfRange(images, half, images.length), new int[] {3, 4, 5}));
        // The stem sees each image on its own, so its statistics do not depend on the split.
        var a = whole.batchStats().get("stem.bn.runningMean");
        var b = merged.batchStats().get("stem.bn.runningMean");
        assertEquals(6L * 28 * 28, a.count());
        assertEquals(a.count(), b.count());
        for (int c = 0; c < a.mean().length; c++) {
            assertEquals(a.mean()[c], b.mean()[c], 1e-4);
            assertEquals(a.variance()[c], b.variance()[c], 1e-4 * Math.max(1, a.variance()[c]));
        }
        assertTrue(a.variance()[0] > 0);
        // The master's running statistics follow PyTorch's rule with the merged batch statistics.
        float[] meanBefore = master.allValues().get("stem.bn.runningMean").clone();
        master.applyWeightStep(whole, 0.01f);
        assertEquals(0.9 * meanBefore[0] + 0.1 * a.mean()[0], master.allValues().get("stem.bn.runningMean")[0], 1e-6);
        assertEquals(0.9 * 1 + 0.1 * a.unbiasedVariance(0), master.allValues().get("stem.bn.runningVar")[0], 1e-5);
    }

    @Test
    void onlyThePathsWeightsTravel() {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        SampledPath path = path(0, 0, 0);
        long pathFloats = master.weightsFor(path, StepKind.WEIGHT).values().stream().mapToLong(v -> v.length).sum();
        long allFloats = supernet.parameterInfos().stream().filter(ParameterInfo::isTrainable)
                .mapToLong(ParameterInfo::size).sum();
        assertTrue(pathFloats < allFloats / 2, "path " + pathFloats + " of " + allFloats);
        assertArrayEquals(master.allValues().get("classifier.bias"),
                master.weightsFor(path, StepKind.WEIGHT).get("classifier.bias"));
    }
}
