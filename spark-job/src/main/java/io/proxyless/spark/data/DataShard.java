package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;

import java.io.Serializable;

/**
 * One partition's rows of both splits: row {@code r} of a split lives in partition
 * {@code r % numPartitions}, at local index {@code r / numPartitions}. Any number of partitions
 * holds the same data, so the global batch does not depend on the cluster.
 */
public record DataShard(int partition, int numPartitions, ImageDataset weightRows, ImageDataset archRows)
        implements Serializable {

    /** The rows of a split that belong to a partition, in row order. */
    public static ImageDataset rowsOf(ImageDataset split, int partition, int numPartitions) {
        int count = (split.size() - partition + numPartitions - 1) / numPartitions;
        int[] rows = new int[Math.max(0, count)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = partition + i * numPartitions;
        }
        return split.subset(rows);
    }

    /** Local indices of the batch rows this partition holds, in batch order. */
    public int[] localIndices(int[] batchRows) {
        return java.util.Arrays.stream(batchRows).filter(r -> r % numPartitions == partition)
                .map(r -> r / numPartitions).toArray();
    }
}
