package io.proxyless.spark.step.driver;

import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.nas.step.ShardSum;
import io.proxyless.nas.step.StepResult;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.step.StepPayload;
import io.proxyless.spark.step.executor.ExecutorSupernet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One Spark job per step, in the shape of Spark ML's {@code RDDLossFunction}: broadcast the payload,
 * let each cached partition compute the shards it holds, {@code treeAggregate} the results in shard
 * order ({@link ShardSum}), destroy the broadcast. A retried task recomputes the same shards from the
 * same broadcast, and Spark keeps one result per partition.
 */
final class StepJobs {

    private final JavaSparkContext sc;
    private final JavaRDD<DataShard> partitions;
    private final SpaceSpec space;
    private final Normalization norm;
    private final Augmentation augmentation;

    StepJobs(JavaSparkContext sc, JavaRDD<DataShard> partitions, SpaceSpec space, Normalization norm,
            Augmentation augmentation) {
        this.sc = sc;
        this.partitions = partitions;
        this.space = space;
        this.norm = norm;
        this.augmentation = augmentation;
    }

    StepResult run(StepPayload payload, StepTimings timings) {
        long t0 = System.nanoTime();
        Broadcast<StepPayload> broadcast = sc.broadcast(payload);
        long t1 = System.nanoTime();
        SpaceSpec spaceSpec = space;
        Normalization n = norm;
        Augmentation aug = augmentation;
        StepResult result;
        long t2;
        try {
            result = partitions
                    .map(partition -> ExecutorSupernet.compute(spaceSpec, n, aug, broadcast.value(), partition))
                    .treeAggregate(ShardSum.empty(), ShardSum::merge, ShardSum::merge)
                    .total();
            t2 = System.nanoTime();
        } finally {
            broadcast.destroy(false);
        }
        long t3 = System.nanoTime();
        timings.add(t1 - t0, result.maxComputeNanos(), (t2 - t1) - result.maxComputeNanos(), t3 - t2,
                payload.weightBytes(), result.payloadBytes());
        return result;
    }
}
