package io.proxyless.spark.step;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.job.SparkSearchData;
import io.proxyless.spark.step.driver.SparkStepExecutor;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed task is retried by Spark and its shard is counted once, with the same gradient. */
class TaskRetryTest {

    @Test
    void retriedTasksRecomputeTheSameShardOnce() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(true, 192, 1, 48);
        try (SparkSession spark = SparkSearch.session("local[2,4]");
                Supernet supernet = Supernet.of(config.model())) {
            java.util.concurrent.atomic.AtomicInteger failedTasks = failedTasks(spark);
            SparkSearchData data = SparkTestSupport.distributed(spark, config, 3, 3);
            JavaRDD<DataShard> shards = data.partitions();
            // Every step's first attempt of partition 1 fails after the shard was read.
            JavaRDD<DataShard> flaky = shards.map(shard -> {
                if (shard.partition() == 1 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected executor failure");
                }
                return shard;
            });
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            SampledPath path = new PathSampler(config.binaryMode())
                    .sampleForArchitecture(master.architecture(), master.choices(), new Random(5));
            int[] even = new int[48];
            for (int i = 0; i < even.length; i++) {
                even[i] = i * 2;
            }
            ShardedBatch rows = ShardedBatch.byRow(even, 3);
            for (StepKind kind : StepKind.values()) {
                StepRequest request = new StepRequest(kind, path, rows.size(), 0.1f, 9L);
                var weights = master.weightsFor(path, kind);
                StepResult clean = SparkTestSupport.executor(spark, shards, 3, config, data)
                        .execute(request, weights, StepExecutor.Split.WEIGHT, rows);
                StepResult retried = SparkTestSupport.executor(spark, flaky, 3, config, data)
                        .execute(request, weights, StepExecutor.Split.WEIGHT, rows);
                assertEquals(rows.size(), clean.count());
                assertEquals(rows.size(), retried.count(), "a retried shard is counted once");
                assertEquals(clean.meanLoss(), retried.meanLoss(), 1e-9);
                for (var e : clean.gradients().entrySet()) {
                    assertArrayEquals(e.getValue(), retried.gradients().get(e.getKey()), 1e-7f, e.getKey());
                }
                for (var e : clean.gateGradients().entrySet()) {
                    assertArrayEquals(e.getValue(), retried.gateGradients().get(e.getKey()), 1e-9, e.getKey());
                }
            }
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(2, failedTasks.get(), "one injected failure per step");
            data.close();
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger STEPS_SEEN = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A whole search in which one chosen task fails once (partition 1 of the fifth Spark job, after
     * reading its shard) ends exactly as the same search without the failure.
     */
    @Test
    void aSearchWithAFailedTaskEndsAsACleanOne() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(true, 256, 2, 32).toBuilder().set("warmup_epochs", 1).build();
        try (SparkSession spark = SparkSearch.session("local[2,4]")) {
            java.util.concurrent.atomic.AtomicInteger failedTasks = failedTasks(spark);
            SparkSearchData data = SparkTestSupport.distributed(spark, config, 2, 2);
            DataSummary splits = data.summary();
            JavaRDD<DataShard> shards = data.partitions();
            STEPS_SEEN.set(0);
            JavaRDD<DataShard> failingOnce = shards.map(shard -> {
                if (shard.partition() == 1 && STEPS_SEEN.incrementAndGet() == 5 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected task failure");
                }
                return shard;
            });
            SupernetMaster clean = search(config, splits, SparkTestSupport.executor(spark, shards, 2, config, data));
            SupernetMaster faulty = search(config, splits, SparkTestSupport.executor(spark, failingOnce, 2, config, data));
            assertTrue(STEPS_SEEN.get() > 5, "the chosen task ran: " + STEPS_SEEN.get());
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(1, failedTasks.get(), "one injected failure");
            data.close();
            clean.allValues().forEach((name, values) -> assertArrayEquals(values, faulty.allValues().get(name), name));
            for (String label : clean.architecture().labels()) {
                assertArrayEquals(clean.architecture().alpha(label), faulty.architecture().alpha(label), label);
            }
        }
    }

    /** Counts the tasks of this session that end unsuccessfully. */
    private static java.util.concurrent.atomic.AtomicInteger failedTasks(SparkSession spark) {
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    failed.incrementAndGet();
                }
            }
        });
        return failed;
    }

    private static SupernetMaster search(TrainerConfig config, DataSummary splits, SparkStepExecutor executor)
            throws Exception {
        try (Supernet supernet = Supernet.of(config.model())) {
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            new io.proxyless.nas.train.SearchLoop(config, master, executor,
                    io.proxyless.nas.algorithm.SearchAlgorithms.of(config, null),
                    java.util.List.of(new io.proxyless.nas.listener.DivergenceCheck()), splits.weightSize(), splits.archSize()).run();
            return master;
        }
    }
}
