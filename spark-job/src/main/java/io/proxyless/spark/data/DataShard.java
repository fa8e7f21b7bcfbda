package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.ImageRow;
import io.proxyless.nas.data.PixelSums;
import io.proxyless.nas.data.SplitPlan;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One partition's rows of both splits, and only those. Row {@code r} of a split belongs to shard
 * {@link ShardedBatch#shardOf}, and shard {@code s} lives whole in partition
 * {@code s % numPartitions}, so a task can compute each of its shards on its own and any number of
 * partitions holds the same shards.
 *
 * @param weightRowIds the weight split's rows held here, ascending; {@code weightRows} holds them in that order
 * @param archRowIds the same for the architecture split
 */
public record DataShard(int partition, int numPartitions, int numShards, int[] weightRowIds, ImageDataset weightRows,
        int[] archRowIds, ImageDataset archRows) implements Serializable {

    /** A row placed in its split, on its way to the partition that holds its shard. */
    public record PlacedRow(int split, int row, int label, long key, byte[] pixels) implements ImageRow, Serializable {}

    /** What the driver learns of a partition: sums, never rows. */
    public record Stats(PixelSums pixels, long weightRows, long weightChecksum, long archRows, long archChecksum)
            implements Serializable {

        public Stats merge(Stats o) {
            return new Stats(pixels.merge(o.pixels), weightRows + o.weightRows, weightChecksum + o.weightChecksum,
                    archRows + o.archRows, archChecksum + o.archChecksum);
        }
    }

    /** The partition of the rows placed in it, each split in row order. */
    public static DataShard of(int partition, int numPartitions, int numShards, Iterator<PlacedRow> rows, int[] shape) {
        List<List<PlacedRow>> bySplit = List.of(new ArrayList<>(), new ArrayList<>());
        rows.forEachRemaining(r -> bySplit.get(r.split()).add(r));
        int[][] ids = new int[2][];
        ImageDataset[] data = new ImageDataset[2];
        for (int split = 0; split < 2; split++) {
            List<PlacedRow> list = bySplit.get(split);
            list.sort(Comparator.comparingInt(PlacedRow::row));
            ids[split] = list.stream().mapToInt(PlacedRow::row).toArray();
            data[split] = ImageDataset.of(list, shape);
        }
        return new DataShard(partition, numPartitions, numShards, ids[SplitPlan.WEIGHT], data[SplitPlan.WEIGHT],
                ids[SplitPlan.ARCHITECTURE], data[SplitPlan.ARCHITECTURE]);
    }

    public Stats stats() {
        PixelSums sums = weightRows.pixelSums().merge(archRows.pixelSums());
        return new Stats(sums, weightRowIds.length, weightRows.checksum(weightRowIds), archRowIds.length,
                archRows.checksum(archRowIds));
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
