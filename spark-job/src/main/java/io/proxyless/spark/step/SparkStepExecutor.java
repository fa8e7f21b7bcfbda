package io.proxyless.spark.step;

import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.space.SpaceConfig;
import io.proxyless.nas.train.ShardSum;
import io.proxyless.nas.train.ShardedBatch;
import io.proxyless.nas.train.StepExecutor;
import io.proxyless.nas.train.StepRequest;
import io.proxyless.nas.train.StepResult;
import io.proxyless.spark.data.DataShard;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Driver side of a distributed step, in the shape of Spark ML's {@code RDDLossFunction}: broadcast
 * the path's weights, let each cached partition compute the shards of the global batch it holds,
 * {@code treeAggregate} the results (in shard order, {@link ShardSum}), destroy the broadcast. A
 * retried task recomputes the same shards from the same broadcast, and Spark counts only one result
 * per partition.
 */
public final class SparkStepExecutor implements StepExecutor {

    /** The Spark job group of every step. */
    public static final String JOB_GROUP = "proxyless-search";

    private final JavaSparkContext sc;
    private final JavaRDD<DataShard> partitions;
    private final SpaceConfig space;
    private final Normalization norm;
    private final Augmentation augmentation;
    private final StepTimings timings = new StepTimings();
    private final TreeSet<String> workers = new TreeSet<>();
    private final int numShards;

    /**
     * @param partitions the cached data, each partition holding whole shards ({@link DataShard})
     * @param numShards the shards each batch is cut into, as {@code partitions} hold them
     * @param augmentation applied to the weight split's rows, or {@code null}
     */
    public SparkStepExecutor(JavaSparkContext sc, JavaRDD<DataShard> partitions, int numShards, SpaceConfig space,
            Normalization norm, Augmentation augmentation) {
        this.sc = sc;
        this.partitions = partitions;
        this.numShards = numShards;
        this.space = space;
        this.norm = norm;
        this.augmentation = augmentation;
    }

    @Override
    public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, ShardedBatch batch) {
        long t0 = System.nanoTime();
        StepPayload payload = new StepPayload(request, weights, split, batch);
        Broadcast<StepPayload> broadcast = sc.broadcast(payload);
        long t1 = System.nanoTime();
        SpaceConfig spaceConfig = space;
        Normalization n = norm;
        Augmentation aug = split == Split.WEIGHT ? augmentation : null;
        StepResult result = partitions
                .map(partition -> ExecutorSupernet.compute(spaceConfig, n, aug, broadcast.value(), partition))
                .treeAggregate(ShardSum.empty(), ShardSum::merge, ShardSum::merge)
                .total();
        long t2 = System.nanoTime();
        broadcast.destroy(false);
        long t3 = System.nanoTime();
        timings.add(t1 - t0, result.maxComputeNanos(), (t2 - t1) - result.maxComputeNanos(), t3 - t2,
                payload.weightBytes(), result.payloadBytes());
        workers.addAll(result.workers());
        return result;
    }

    /** Spark's UI and listeners then show each step's job as this, in the job group {@code proxyless-search}. */
    @Override
    public void announce(String description) {
        sc.setJobGroup(JOB_GROUP, description, false);
    }

    @Override
    public int shards() {
        return numShards;
    }

    @Override
    public void close() {
        // The group is a property of this thread: later jobs of the same session must not carry it.
        sc.clearJobGroup();
    }

    public StepTimings timings() {
        return timings;
    }

    /** Executors that computed at least one shard so far. */
    public java.util.Set<String> workers() {
        return Collections.unmodifiableSet(workers);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("executor", "spark");
        info.put("master", sc.master());
        info.put("application_id", sc.sc().applicationId());
        info.put("spark_version", sc.version());
        info.put("partitions", partitions.getNumPartitions());
        info.put("shards", numShards);
        info.put("executors_that_did_work", workers.size());
        info.put("executor_ids", workers);
        return info;
    }
}
