package io.proxyless.nas.train;

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

    /** Rows grouped into {@code shards} shards by the rule every split follows: row {@code r} is in shard {@code r % shards}. */
    public static ShardedBatch byRow(int[] rows, int shards) {
        int[][] grouped = new int[shards][];
        for (int s = 0; s < shards; s++) {
            int shard = s;
            grouped[s] = Arrays.stream(rows).filter(r -> r % shards == shard).toArray();
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
