package io.proxyless.nas.train;

import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.BatchStats;
import io.proxyless.nas.nn.MemoryFormat;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.step.executor.PathStepWorker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step gives the same result channels-last as NCHW, on whole networks of both plans: the 28x28
 * grayscale one, where one channel makes both layouts the same bytes, and the 32x32 RGB one, where
 * the images are reordered on the host. The forward pass (loss, every batch norm's statistics) must
 * agree to float rounding. Gradients are compared as one vector and more loosely: at a random
 * initialization with a few images, adding noise of 1e-6 to the input moves NCHW's own gradients by
 * 0.05-1.5%, and channels-last differs from NCHW by at most 0.8% (measured on these steps).
 * The AVX-512 kernel that {@code MemoryFormatCheck} keeps out gets outputs wrong by their own size.
 */
class ChannelsLastStepTest {

    private static final double GRADIENT_TOLERANCE = 5e-2;

    @Test
    void grayscalePlan() {
        sameStepsInBothLayouts(MobileNetSpace.fashionMnist(), 8);
    }

    @Test
    void rgbPlan() {
        sameStepsInBothLayouts(MobileNetSpace.cifar10(), 6);
    }

    private static void sameStepsInBothLayouts(MobileNetSpace space, int batch) {
        TrainerConfig config = TrainerConfig.builder().optModel(space).build();
        try (Supernet supernet = Supernet.of(space)) {
            PathStepWorker nchw = new PathStepWorker(supernet, MemoryFormat.NCHW);
            PathStepWorker channelsLast = new PathStepWorker(supernet, MemoryFormat.CHANNELS_LAST);
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            Random random = new Random(5);
            int[] shape = space.inputShape();
            float[] images = new float[batch * shape[0] * shape[1] * shape[2]];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) random.nextGaussian();
            }
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = i % space.numClasses();
            }
            List<SampledPath> paths = new ArrayList<>(
                    List.of(TestData.everyCell(supernet, "k3e3"), TestData.everyCell(supernet, "k7e6")));
            paths.add(new PathSampler(config.binaryMode()).sampleForArchitecture(master.architecture(), master.choices(), random));
            for (SampledPath path : paths) {
                for (StepKind kind : StepKind.values()) {
                    supernet.load(master.weightsFor(path, kind));
                    StepRequest request = new StepRequest(kind, path, batch, 0.1f, 3L);
                    StepResult expected = nchw.compute(request, images, labels);
                    StepResult actual = channelsLast.compute(request, images, labels);
                    String where = space.inputShape()[0] + "-channel plan, " + kind + " step on " + path;
                    assertEquals(expected.lossSum(), actual.lossSum(), 1e-4 * Math.abs(expected.lossSum()), where);
                    assertEquals(expected.correct(), actual.correct(), where);
                    assertEquals(expected.gradients().keySet(), actual.gradients().keySet(), where);
                    assertEquals(expected.batchStats().keySet(), actual.batchStats().keySet(), where);
                    for (Map.Entry<String, BatchStats> stats : expected.batchStats().entrySet()) {
                        BatchStats other = actual.batchStats().get(stats.getKey());
                        String layer = where + ", batch statistics of " + stats.getKey();
                        assertClose(stats.getValue().variance(), other.variance(), 1e-4, layer);
                        // Means are compared in standard deviations: after a batch norm without
                        // activation the next convolution's outputs have mean zero up to rounding.
                        double[] variance = stats.getValue().variance();
                        for (int c = 0; c < variance.length; c++) {
                            double shift = Math.abs(stats.getValue().mean()[c] - other.mean()[c]) / Math.sqrt(variance[c] + 1e-6);
                            assertTrue(shift <= 1e-4, layer + ": channel " + c + " mean moved by " + shift + " sd");
                        }
                    }
                    assertClose(concat(expected.gradients()), concat(actual.gradients()), GRADIENT_TOLERANCE,
                            where + ", weight gradients");
                    assertClose(concatGates(expected.gateGradients()), concatGates(actual.gateGradients()), GRADIENT_TOLERANCE,
                            where + ", gate gradients");
                }
            }
        }
    }

    private static double[] concat(Map<String, float[]> arrays) {
        double[] all = new double[arrays.values().stream().mapToInt(a -> a.length).sum()];
        int i = 0;
        for (float[] array : arrays.values()) {
            for (float v : array) {
                all[i++] = v;
            }
        }
        return all;
    }

    private static double[] concatGates(Map<String, double[]> arrays) {
        return arrays.values().stream().flatMapToDouble(Arrays::stream).toArray();
    }

    /** The difference's L2 norm against the expected vector's, within {@code tolerance}. */
    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        double relative = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        assertTrue(relative <= tolerance, String.format(Locale.ROOT,
                "%s: channels-last differs from NCHW by %.3g (relative L2), more than %.0e", what, relative, tolerance));
    }
}
