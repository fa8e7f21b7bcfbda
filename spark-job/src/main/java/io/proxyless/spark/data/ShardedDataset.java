package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * Driver side: ships the two splits to the executors once, as cached partitions. The splits travel
 * as one broadcast; the cached RDD is built from partition numbers, so the tasks of later steps
 * carry a number, not the data (a parallelized collection would ship its rows with every task).
 */
public final class ShardedDataset {

    private ShardedDataset() {}

    /** One {@link DataShard} per partition, cached in executor memory for the whole search. */
    public static JavaRDD<DataShard> distribute(
            JavaSparkContext sc, ImageDataset weightSplit, ImageDataset archSplit, int numPartitions) {
        Broadcast<ImageDataset[]> splits = sc.broadcast(new ImageDataset[] {weightSplit, archSplit});
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < numPartitions; p++) {
            partitions.add(p);
        }
        JavaRDD<DataShard> rdd = sc.parallelize(partitions, numPartitions)
                .map(p -> new DataShard(p, numPartitions,
                        DataShard.rowsOf(splits.value()[0], p, numPartitions),
                        DataShard.rowsOf(splits.value()[1], p, numPartitions)))
                .setName("proxyless data shards")
                .persist(StorageLevel.MEMORY_AND_DISK());
        rdd.count();
        return rdd;
    }
}
