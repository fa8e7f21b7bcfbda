package io.proxyless.nas.train;

import io.proxyless.nas.TestData;
import io.proxyless.nas.algorithm.SearchAlgorithms;
import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.listener.DivergenceCheck;
import io.proxyless.nas.listener.TrainingListener;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.DivergenceException;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the loop asks the executor for, step by step: paths, batches, losses, when architecture steps come. */
class SearchLoopTest extends SmallSupernetTest {


    private static RecordingExecutor run(TrainerConfig config, int splitSize, double[]... logits) throws Exception {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        List<String> labels = master.architecture().labels();
        for (int l = 0; l < labels.size() && l < logits.length; l++) {
            double[] alpha = master.architecture().alpha(labels.get(l));
            System.arraycopy(logits[l], 0, alpha, 0, alpha.length);
        }
        RecordingExecutor executor = new RecordingExecutor(master.choices(), Math.max(1, config.shards()));
        new SearchLoop(config, master, executor, SearchAlgorithms.of(config, null), List.of(new DivergenceCheck()), splitSize, splitSize).run();
        return executor;
    }

    /**
     * p = (.5, .25, .25) in a 3-candidate cell: weight steps must draw from p, while mode two's
     * pair-then-one procedure has the marginal (.556, .222, .222). 4,000 draws put 4 standard
     * errors at 0.032, below the 0.056 between the two.
     */
    @Test
    void weightStepsDrawFromPAndArchitectureStepsFromThePairProcedure() throws Exception {
        double[] p = {0.5, 0.25, 0.25};
        double[] logits = Arrays.stream(p).map(Math::log).toArray();
        TrainerConfig config = TestData.smallSearch(0, 40).toBuilder().set("warmup_epochs", 0).set("batch_size", 32)
                .set("binary_mode", "two").set("log_frequency", 1_000_000).build();
        RecordingExecutor executor = run(config, 32 * 100, logits);
        double[] pairMarginal = {0, 0, 0};
        for (int first = 0; first < 3; first++) {
            for (int second = 0; second < 3; second++) {
                if (first != second) {
                    double pick = p[first] * p[second] / (1 - p[first]);
                    pairMarginal[first] += pick * p[first] / (p[first] + p[second]);
                    pairMarginal[second] += pick * p[second] / (p[first] + p[second]);
                }
            }
        }
        assertEquals(0.556, pairMarginal[0], 1e-3);
        assertMarginal(executor.of(StepKind.WEIGHT), p, "weight steps");
        assertMarginal(executor.of(StepKind.ARCHITECTURE), pairMarginal, "architecture steps");
    }

    private static void assertMarginal(List<RecordingExecutor.Call> calls, double[] expected, String what) {
        double[] counts = new double[expected.length];
        for (RecordingExecutor.Call call : calls) {
            counts[call.request().path().routing("s0").active()[0]]++;
        }
        int n = calls.size();
        assertEquals(4000, n, what);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 4 * Math.sqrt(expected[i] * (1 - expected[i]) / n);
            assertEquals(expected[i], counts[i] / n, tolerance, what + ": candidate " + i + " of " + Arrays.toString(counts));
        }
    }

    /**
     * The authors count {@code (i + 1) % N} within each epoch and score architecture steps with plain
     * cross-entropy. Five batches an epoch, N = 2, one warmup epoch of three: steps after batches 2 and
     * 4 of epochs 2 and 3, four in all (a global count would give five).
     */
    @Test
    void architectureStepsFollowTheAuthorsScheduleWithPlainCrossEntropy() throws Exception {
        TrainerConfig config = TestData.smallSearch(0, 3).toBuilder().set("warmup_epochs", 1).set("batch_size", 32)
                .set("arch_update_frequency", 2).set("label_smoothing", 0.1f).build();
        RecordingExecutor executor = run(config, 32 * 5);
        List<Integer> archAfter = new java.util.ArrayList<>();
        int weightSteps = 0;
        for (RecordingExecutor.Call call : executor.calls) {
            if (call.request().kind() == StepKind.WEIGHT) {
                weightSteps++;
                assertEquals(0.1f, call.request().labelSmoothing());
                assertEquals(StepExecutor.Split.WEIGHT, call.split());
            } else {
                archAfter.add(weightSteps);
                assertEquals(0f, call.request().labelSmoothing(), "the authors' architecture loss is plain cross-entropy");
                assertEquals(StepExecutor.Split.ARCHITECTURE, call.split());
            }
        }
        assertEquals(15, weightSteps);
        assertEquals(List.of(7, 9, 12, 14), archAfter);
    }

    /** A batch is cut into equal shards by row ({@code r % shards}) and an epoch visits each row at most once. */
    @Test
    void batchesAreEqualShardsAndAnEpochRepeatsNoRow() throws Exception {
        TrainerConfig config = TestData.smallSearch(0, 2).toBuilder().set("warmup_epochs", 2).set("batch_size", 30)
                .set("shards", 4).build();
        RecordingExecutor executor = run(config, 250);
        List<RecordingExecutor.Call> weight = executor.of(StepKind.WEIGHT);
        assertEquals(2 * 7, weight.size(), "shards 0 and 1 hold 63 rows each: 7 batches of 8");
        for (int epoch = 0; epoch < 2; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (RecordingExecutor.Call call : weight.subList(epoch * 7, (epoch + 1) * 7)) {
                ShardedBatch batch = call.batch();
                assertEquals(4, batch.shards());
                assertEquals(30, batch.size());
                for (int s = 0; s < 4; s++) {
                    assertEquals(s < 2 ? 8 : 7, batch.shard(s).length, "30 rows in 4 shards");
                    for (int row : batch.shard(s)) {
                        assertEquals(s, row % 4, "row " + row + " in shard " + s);
                        assertTrue(seen.add(row), "row " + row + " twice in epoch " + epoch);
                    }
                }
            }
        }
    }

    /**
     * {@code new Random(seed * 31 + epoch)} gave seed 0's epoch 31 the batches of seed 1's epoch 0.
     * Every (seed, epoch) has its own order now: no two of 4 seeds x 32 epochs share a first batch.
     */
    @Test
    void everySeedAndEpochHasItsOwnBatchOrder() throws Exception {
        Set<List<Integer>> firstBatches = new HashSet<>();
        for (int seed = 0; seed < 4; seed++) {
            TrainerConfig config = TestData.smallSearch(0, 32).toBuilder().set("warmup_epochs", 32).set("batch_size", 8)
                    .set("seed", seed).build();
            List<RecordingExecutor.Call> weight = run(config, 64).of(StepKind.WEIGHT);
            assertEquals(32 * 8, weight.size());
            for (int epoch = 0; epoch < 32; epoch++) {
                List<Integer> rows = Arrays.stream(weight.get(epoch * 8).batch().shard(0)).boxed().toList();
                assertTrue(firstBatches.add(rows), "seed " + seed + " epoch " + epoch + " repeats a batch: " + rows);
            }
        }
    }

    /** A non-finite gradient stops the loop, naming the step, the phase and the parameter, before any update. */
    @Test
    void aNonFiniteGradientStopsTheLoopBeforeItsUpdate() throws Exception {
        TrainerConfig config = TestData.smallSearch(0, 2).toBuilder().set("warmup_epochs", 2).set("batch_size", 32).build();
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        RecordingExecutor recorder = new RecordingExecutor(master.choices(), 1);
        String name = "classifier.weight";
        StepExecutor poisoned = new StepExecutor() {
            @Override
            public StepResult execute(StepRequest request, java.util.Map<String, float[]> weights, Split split,
                    ShardedBatch batch) {
                recorder.execute(request, weights, split, batch);
                float[] gradient = new float[master.allValues().get(name).length];
                gradient[5] = recorder.calls.size() == 3 ? Float.NaN : 0.01f;
                return new StepResult(java.util.Map.of(name, gradient), java.util.Map.of(), java.util.Map.of(),
                        batch.size(), 0, batch.size());
            }

            @Override
            public int shards() {
                return 1;
            }
        };
        List<float[]> afterEachStep = new java.util.ArrayList<>();
        TrainingListener keepValues = new TrainingListener() {
            @Override
            public void afterStep(LoopPosition next, boolean epochEnd) {
                afterEachStep.add(master.allValues().get(name).clone());
            }
        };
        SearchLoop loop = new SearchLoop(config, master, poisoned, SearchAlgorithms.of(config, null),
                List.of(new DivergenceCheck(), keepValues), 320, 320);
        DivergenceException e = org.junit.jupiter.api.Assertions.assertThrows(DivergenceException.class,
                () -> loop.run(LoopPosition.START));
        assertTrue(e.getMessage().contains("weight step 3 (epoch 1)") && e.getMessage().contains("'" + name + "'")
                && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(2, afterEachStep.size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(afterEachStep.get(1), master.allValues().get(name),
                "the diverged step was applied");
    }

    /**
     * What the loop tells its listeners, in order: per weight step its result, then the update, then
     * an architecture step's result and update when one is due, the records every log_frequency
     * steps and at epoch ends, and last where to resume from.
     */
    @Test
    void listenersHearEveryStepInOrderAndTheResumePointLast() throws Exception {
        TrainerConfig config = TestData.smallSearch(0, 2).toBuilder().set("warmup_epochs", 1).set("batch_size", 32)
                .set("log_frequency", 2).build();
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        List<String> heard = new java.util.ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onResult(io.proxyless.nas.step.StepKind kind, io.proxyless.nas.step.StepResult result, int epoch,
                    long step) {
                heard.add("result " + kind + " " + step);
            }

            @Override
            public void onUpdate(SupernetMaster updated, io.proxyless.nas.step.StepKind kind,
                    io.proxyless.nas.step.StepResult result, int epoch, long step) {
                heard.add("update " + kind + " " + step);
            }

            @Override
            public void onReport(io.proxyless.nas.listener.StepReport report) {
                heard.add("report " + report.phase() + " " + report.step());
            }

            @Override
            public void afterStep(LoopPosition next, boolean epochEnd) {
                heard.add("after " + next.step() + (epochEnd ? " end" : ""));
            }
        };
        RecordingExecutor executor = new RecordingExecutor(master.choices(), 1);
        new SearchLoop(config, master, executor, SearchAlgorithms.of(config, null), List.of(recorder), 96, 96)
                .run();
        assertEquals(List.of(
                "result WEIGHT 1", "update WEIGHT 1", "after 1",
                "result WEIGHT 2", "update WEIGHT 2", "report weight 2", "after 2",
                "result WEIGHT 3", "update WEIGHT 3", "report weight 3", "after 3 end",
                "result WEIGHT 4", "update WEIGHT 4", "result ARCHITECTURE 4", "update ARCHITECTURE 4",
                "report weight 4", "report arch 4", "after 4",
                "result WEIGHT 5", "update WEIGHT 5", "result ARCHITECTURE 5", "update ARCHITECTURE 5", "after 5",
                "result WEIGHT 6", "update WEIGHT 6", "result ARCHITECTURE 6", "update ARCHITECTURE 6",
                "report weight 6", "report arch 6", "after 6 end"), heard);
    }
}
