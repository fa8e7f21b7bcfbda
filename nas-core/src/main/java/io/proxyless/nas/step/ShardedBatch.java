package io.proxyless.nas.step;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The global batch of one step, as row numbers of a split, grouped by shard. A shard is the unit of
 * data parallelism: a task computes whole shards, batch norm normalises within a shard, and shard
 * results add up in shard order ({@link ShardSum}), so a step depends on the number of shards and
 * never on how many partitions or executors compute them.
 */
public record ShardedBatch(int[][] rows) implements Serializable {

    public ShardedBatch {
        rows = Arrays.stream(rows).map(int[]::clone).toArray(int[][]::new);
    }

    /** One shard holding every row. */
    public static ShardedBatch single(int[] rows) {
        return new ShardedBatch(new int[][] {rows});
    }

    /** The shard a row of a split belongs to, for every split, batch plan and partition layout. */
    public static int shardOf(int row, int shards) {
        return row % shards;
    }

    /** How many of a split's {@code splitSize} rows are in shard {@code shard}. */
    public static int shardSize(int shard, int splitSize, int shards) {
        return (splitSize - shard + shards - 1) / shards;
    }

    /** The {@code rank}-th row (ascending) of shard {@code shard}: the inverse of {@link #shardOf}. */
    public static int rowOf(int shard, int rank, int shards) {
        return shard + shards * rank;
    }

    /** Rows grouped into {@code shards} shards by {@link #shardOf}, each in the given order. */
    public static ShardedBatch byRow(int[] rows, int shards) {
        int[][] grouped = new int[shards][];
        for (int s = 0; s < shards; s++) {
            int shard = s;
            grouped[s] = Arrays.stream(rows).filter(r -> shardOf(r, shards) == shard).toArray();
        }
        return new ShardedBatch(grouped);
    }

    public int shards() {
        return rows.length;
    }

    /** The rows of one shard, in batch order. */
    public int[] shard(int shard) {
        return rows[shard].clone();
    }

    /** Rows over all shards. */
    public int size() {
        return Arrays.stream(rows).mapToInt(r -> r.length).sum();
    }
}
