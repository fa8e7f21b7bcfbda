package io.proxyless.nas.train;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.random.RandomStreams;
import io.proxyless.nas.step.ShardedBatch;

import java.util.SplittableRandom;

/**
 * Which rows of a split form each batch, as a pure function of (seed, pass, batch index): row
 * {@code r} belongs to shard {@code r % shards} ({@link ShardedBatch#shardOf}); each pass over the split shuffles every shard's
 * rows with its own stream, and batch {@code b} of a pass takes the next slice of each shard, as
 * PyTorch's {@code DistributedSampler} does per replica. Shard {@code s} contributes
 * {@code batch / shards} rows, one more for the first {@code batch % shards} shards, so every step's
 * batch has the same composition whatever computes it. Stateless: a resumed run asks for the same
 * (pass, index) and gets the same rows.
 */
final class BatchPlan {

    private final int splitSize;
    private final int shards;
    private final int[] perShard;
    private final long seed;
    private final RandomStreams.Purpose purpose;
    private final int batchesPerPass;
    private long cachedPass = -1;
    private int[][] cachedOrder;

    /** @param purpose the stream family, so the two splits shuffle independently */
    BatchPlan(int splitSize, int batch, int shards, long seed, RandomStreams.Purpose purpose, String splitName) {
        if (shards < 1 || shards > batch) {
            throw new IllegalArgumentException(TrainerConfig.option("shards") + " must be in 1.." + batch + " ("
                    + TrainerConfig.option("batch_size") + "), got " + shards);
        }
        this.splitSize = splitSize;
        this.shards = shards;
        this.seed = seed;
        this.purpose = purpose;
        this.perShard = new int[shards];
        int fewest = Integer.MAX_VALUE;
        for (int s = 0; s < shards; s++) {
            perShard[s] = batch / shards + (s < batch % shards ? 1 : 0);
            fewest = Math.min(fewest, members(s) / perShard[s]);
        }
        if (fewest < 1) {
            throw new IllegalArgumentException(TrainerConfig.option("batch_size") + " " + batch + " is larger than the "
                    + splitName + " split (" + splitSize + " images in " + shards + " shards); lower it or use more data");
        }
        this.batchesPerPass = fewest;
    }

    /** Batches in one pass over the split (the rows that do not fill a batch wait for the next pass). */
    int batchesPerPass() {
        return batchesPerPass;
    }

    /** Batch {@code index} of pass {@code pass}. */
    ShardedBatch batch(long pass, int index) {
        if (index < 0 || index >= batchesPerPass) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerPass);
        }
        int[][] order = orderOf(pass);
        int[][] rows = new int[shards][];
        for (int s = 0; s < shards; s++) {
            rows[s] = new int[perShard[s]];
            for (int i = 0; i < perShard[s]; i++) {
                rows[s][i] = ShardedBatch.rowOf(s, order[s][index * perShard[s] + i], shards);
            }
        }
        return new ShardedBatch(rows);
    }

    /** The {@code n}-th batch counting on across passes. */
    ShardedBatch batch(long n) {
        return batch(n / batchesPerPass, (int) (n % batchesPerPass));
    }

    private int[][] orderOf(long pass) {
        if (pass != cachedPass) {
            cachedOrder = new int[shards][];
            for (int s = 0; s < shards; s++) {
                SplittableRandom random = RandomStreams.of(seed, purpose, pass, s);
                cachedOrder[s] = RandomStreams.permutation(members(s), random);
            }
            cachedPass = pass;
        }
        return cachedOrder;
    }

    private int members(int s) {
        return ShardedBatch.shardSize(s, splitSize, shards);
    }
}
