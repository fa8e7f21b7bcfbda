package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * Driver side: ships the two splits to the executors once, as cached partitions that each hold
 * whole shards. The splits travel as one broadcast; the cached RDD is built from partition numbers,
 * so the tasks of later steps carry a number, not the data (a parallelized collection would ship its
 * rows with every task).
 */
public final class ShardedDataset {

    private ShardedDataset() {}

    /** One {@link DataShard} per partition, cached in executor memory until the result is closed. */
    public static DistributedData distribute(JavaSparkContext sc, ImageDataset weightSplit, ImageDataset archSplit,
            int numPartitions, int numShards) {
        Broadcast<ImageDataset[]> splits = sc.broadcast(new ImageDataset[] {weightSplit, archSplit});
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < numPartitions; p++) {
            partitions.add(p);
        }
        JavaRDD<DataShard> rdd = sc.parallelize(partitions, numPartitions)
                .map(p -> {
                    ImageDataset weight = splits.value()[0];
                    ImageDataset arch = splits.value()[1];
                    int[] weightIds = DataShard.rowIdsOf(weight.size(), p, numPartitions, numShards);
                    int[] archIds = DataShard.rowIdsOf(arch.size(), p, numPartitions, numShards);
                    return new DataShard(p, numPartitions, numShards, weightIds, weight.subset(weightIds),
                            archIds, arch.subset(archIds));
                })
                .setName("proxyless data shards")
                .persist(StorageLevel.MEMORY_AND_DISK());
        rdd.count();
        return new DistributedData(rdd, splits);
    }
}
