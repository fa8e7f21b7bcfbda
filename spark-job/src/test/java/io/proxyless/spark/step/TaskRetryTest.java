package io.proxyless.spark.step;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.nas.train.ShardedBatch;
import io.proxyless.nas.train.StepExecutor;
import io.proxyless.nas.train.StepKind;
import io.proxyless.nas.train.StepRequest;
import io.proxyless.nas.train.StepResult;
import io.proxyless.nas.train.SupernetMaster;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.data.ShardedDataset;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed task is retried by Spark and its shard is counted once, with the same gradient. */
class TaskRetryTest {

    @Test
    void retriedTasksRecomputeTheSameShardOnce() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(true, 192, 1, 48);
        ImageDataset[] splits = SearchRun.loadSplits(config, SparkTestSupport.fashionMnist());
        try (SparkSession spark = SparkSearch.session("local[2,4]");
                Supernet supernet = Supernet.of(config.model())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            java.util.concurrent.atomic.AtomicInteger failedTasks = new java.util.concurrent.atomic.AtomicInteger();
            spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                    if (!end.taskInfo().successful()) {
                        failedTasks.incrementAndGet();
                    }
                }
            });
            JavaRDD<DataShard> shards = ShardedDataset.distribute(sc, splits[0], splits[1], 3, 3);
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
                StepResult clean = new SparkStepExecutor(sc, shards, 3, config)
                        .execute(request, weights, StepExecutor.Split.WEIGHT, rows);
                StepResult retried = new SparkStepExecutor(sc, flaky, 3, config)
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
        }
    }
}
