package io.proxyless.nas.train;

import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.step.executor.PathStepWorker;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Garbage collections during a step must not change its gradients.
 *
 * <p>Operands that DJL builds from Java direct buffers and closes right away are freed by the next GC
 * while autograd still holds them; backward then reads whatever reused that memory. A thread here
 * collects and refills freed direct memory with NaN while the same steps run again, and every
 * gradient must come out bit for bit as in the quiet run.
 */
class GcDuringStepTest {

    @Test
    void gradientsDoNotDependOnGarbageCollection() throws Exception {
        TrainerConfig config = TestData.smallSearch(0, 1);
        try (Supernet supernet = Supernet.of(config.model())) {
            PathStepWorker worker = new PathStepWorker(supernet);
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
            routing.put("s0", new ChoiceRouting(new int[] {0}, new int[] {0, 2}));
            routing.put("s1", new ChoiceRouting(new int[] {2}, new int[] {2, 0}));
            routing.put("s2", new ChoiceRouting(new int[] {1}, new int[] {1, 2}));
            SampledPath path = new SampledPath(routing);
            int[] labels = new int[16];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 10;
            }
            float[] images = WeightStepTest.randomImages(labels.length, 3);

            Map<StepKind, StepResult> quiet = new LinkedHashMap<>();
            for (StepKind kind : StepKind.values()) {
                quiet.put(kind, step(worker, master, supernet, kind, path, images, labels));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Thread churn = new Thread(() -> {
                while (running.get()) {
                    System.gc();
                    ByteBuffer filler = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder());
                    while (filler.remaining() >= 4) {
                        filler.putFloat(Float.NaN);
                    }
                }
            });
            churn.start();
            try {
                for (int repeat = 0; repeat < 4; repeat++) {
                    for (StepKind kind : StepKind.values()) {
                        assertSame(quiet.get(kind), step(worker, master, supernet, kind, path, images, labels),
                                kind + " step, repeat " + repeat);
                    }
                }
            } finally {
                running.set(false);
                churn.join();
            }
        }
    }

    private static StepResult step(PathStepWorker worker, SupernetMaster master, Supernet supernet, StepKind kind,
            SampledPath path, float[] images, int[] labels) {
        supernet.load(master.weightsFor(path, kind));
        return worker.compute(new StepRequest(kind, path, labels.length, 0.1f, 5L), images, labels);
    }

    private static void assertSame(StepResult expected, StepResult actual, String what) {
        assertEquals(expected.meanLoss(), actual.meanLoss(), what + ": loss");
        assertEquals(expected.gradients().keySet(), actual.gradients().keySet(), what);
        expected.gradients().forEach((name, g) -> assertArrayEquals(g, actual.gradients().get(name), what + ": " + name));
        expected.gateGradients().forEach(
                (label, g) -> assertArrayEquals(g, actual.gateGradients().get(label), what + ": gate " + label));
    }
}
