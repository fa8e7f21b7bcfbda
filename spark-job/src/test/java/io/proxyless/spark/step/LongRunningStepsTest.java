package io.proxyless.spark.step;

import io.proxyless.nas.algorithm.SearchAlgorithms;
import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.train.SearchLoop;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.job.SparkSearchData;
import io.proxyless.spark.step.driver.SparkStepExecutor;
import io.proxyless.spark.step.driver.StepTasks;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long-running step tasks in local mode with a slot for each of three partitions: a search on them
 * ends bit for bit as one of a Spark job per step, although one task is killed in the middle (Spark
 * reruns it and it rejoins) and another job runs between two steps (the tasks end to free their
 * slots, and the next step starts new ones).
 */
class LongRunningStepsTest {

    private static SparkSession session() {
        System.setProperty("spark.task.cpus", "1");
        try {
            return SparkSearch.session("local[3]");
        } finally {
            System.clearProperty("spark.task.cpus");
        }
    }

    @Test
    void aSearchOnLongRunningTasksEndsAsOneOfAJobPerStep() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(true, 384, 2, 32).toBuilder().set("warmup_epochs", 1).build();
        try (SparkSession spark = session()) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Map<Integer, Long> runningTasks = new ConcurrentHashMap<>();
            AtomicInteger unsuccessful = new AtomicInteger();
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onTaskStart(SparkListenerTaskStart start) {
                    runningTasks.put(start.taskInfo().index(), start.taskInfo().taskId());
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (!end.taskInfo().successful()) {
                        unsuccessful.incrementAndGet();
                    }
                }
            });
            SparkSearchData data = SparkTestSupport.distributed(spark, config, 3, 3);
            DataSummary splits = data.summary();
            SupernetMaster perStep;
            try (SparkStepExecutor jobs = executor(sc, data, config, StepTasks.PER_STEP)) {
                perStep = search(config, splits, jobs, step -> { });
                assertEquals(0, jobs.longRunningJobs());
                assertEquals("per-step", jobs.describe().get("step_tasks"));
            }
            SupernetMaster longRunning;
            try (SparkStepExecutor tasks = executor(sc, data, config, StepTasks.LONG_RUNNING)) {
                longRunning = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> search(config, splits, tasks, step -> {
                    if (step == 3) {
                        drain(spark);
                        long task = runningTasks.get(1);
                        assertTrue(sc.sc().killTaskAttempt(task, true, "killed by the test after step 3"));
                    }
                    if (step == 6) {
                        // Would wait for ever for a slot if the step tasks kept theirs.
                        assertEquals(100, spark.range(100).count());
                    }
                }));
                assertEquals(2, tasks.longRunningJobs(), "a new job after the count");
                assertEquals("long-running", tasks.describe().get("step_tasks"));
                assertTrue(tasks.longRunningSteps() >= 8, "steps on long-running tasks: " + tasks.longRunningSteps());
            }
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(1, unsuccessful.get(), "the killed task");
            data.close();
            perStep.allValues().forEach((name, values) -> assertArrayEquals(values, longRunning.allValues().get(name), name));
            for (String label : perStep.architecture().labels()) {
                assertArrayEquals(perStep.architecture().alpha(label), longRunning.architecture().alpha(label), label);
            }
        }
    }

    private static void drain(SparkSession spark) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static SparkStepExecutor executor(JavaSparkContext sc, SparkSearchData data, TrainerConfig config,
            StepTasks tasks) {
        return new SparkStepExecutor(sc, data.partitions(), 3, config.spaceSpec(), io.proxyless.nas.device.ComputeDevice.CPU,
                data.summary().normalization(), null,
                tasks);
    }

    /** A whole search; {@code afterStep} runs after each step with the number of steps done. */
    private static SupernetMaster search(TrainerConfig config, DataSummary splits, StepExecutor executor,
            IntConsumer afterStep) throws Exception {
        AtomicInteger steps = new AtomicInteger();
        StepExecutor counting = new StepExecutor() {
            @Override
            public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split,
                    ShardedBatch batch) {
                StepResult result = executor.execute(request, weights, split, batch);
                afterStep.accept(steps.incrementAndGet());
                return result;
            }

            @Override
            public int shards() {
                return executor.shards();
            }
        };
        try (Supernet supernet = Supernet.of(config.model())) {
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            new SearchLoop(config, master, counting, SearchAlgorithms.of(config, null), java.util.List.of(new io.proxyless.nas.listener.DivergenceCheck()), splits.weightSize(),
                    splits.archSize()).run();
            assertTrue(steps.get() >= 10, "steps: " + steps.get());
            return master;
        }
    }
}
