package io.proxyless.nas.step;

import java.util.Map;

/**
 * Runs one step's gradient computation over a global batch: in this JVM, or spread over Spark
 * executors. The loop does not care which.
 */
public interface StepExecutor extends AutoCloseable {

    /**
     * @param request what to compute
     * @param weights the path's weights, by parameter name
     * @param split which split the rows index
     * @param batch the global batch, as row numbers of that split in {@link #shards()} shards
     * @return the merged result of the whole batch, its shards summed in shard order ({@link ShardSum})
     */
    StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, ShardedBatch batch);

    /**
     * What the next {@link #execute} computes, for people watching: "search epoch 3/10 step
     * 120/1560: weight step". The Spark executor makes it the Spark job's description.
     */
    default void announce(String description) {}

    /** How many shards each batch is cut into: the unit of data parallelism and of batch-norm statistics. */
    int shards();

    /** Which split a step's rows come from. */
    enum Split {
        WEIGHT,
        ARCHITECTURE
    }

    /**
     * libtorch's intra-op threads where the shards are computed: they change the rounding of sums, so
     * a checkpoint records them.
     */
    default String torchThreads() {
        return TorchThreads.ofThisJvm();
    }

    /** What run.json records about how steps were computed. */
    default Map<String, Object> describe() {
        return Map.of("executor", "in-process", "shards", shards());
    }

    @Override
    default void close() {}
}
