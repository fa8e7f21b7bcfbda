package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.train.ShardedBatch;
import io.proxyless.nas.train.StepExecutor;

import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One partition's rows of both splits. Row {@code r} of a split belongs to shard
 * {@link ShardedBatch#shardOf}, and shard {@code s} lives whole in partition
 * {@code s % numPartitions}, so a task can compute each of its shards on its own and any number of
 * partitions holds the same shards.
 *
 * @param weightRowIds the weight split's rows held here, ascending; {@code weightRows} holds them in that order
 * @param archRowIds the same for the architecture split
 */
public record DataShard(int partition, int numPartitions, int numShards, int[] weightRowIds, ImageDataset weightRows,
        int[] archRowIds, ImageDataset archRows) implements Serializable {

    /** The rows of a split of {@code size} rows that a partition holds, ascending. */
    public static int[] rowIdsOf(int size, int partition, int numPartitions, int numShards) {
        return IntStream.range(0, size).filter(r -> ShardedBatch.shardOf(r, numShards) % numPartitions == partition)
                .toArray();
    }

    /** The shards this partition holds, ascending. */
    public int[] shards() {
        return IntStream.range(0, numShards).filter(s -> s % numPartitions == partition).toArray();
    }

    public ImageDataset rows(StepExecutor.Split split) {
        return split == StepExecutor.Split.WEIGHT ? weightRows : archRows;
    }

    /** Local indices of split rows this partition holds, in the given order; a row held elsewhere is an error. */
    public int[] localIndices(StepExecutor.Split split, int[] rows) {
        int[] ids = split == StepExecutor.Split.WEIGHT ? weightRowIds : archRowIds;
        int[] local = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            local[i] = Arrays.binarySearch(ids, rows[i]);
            if (local[i] < 0) {
                throw new IllegalStateException("row " + rows[i] + " of the " + split + " split is not in partition "
                        + partition + " of " + numPartitions);
            }
        }
        return local;
    }
}
