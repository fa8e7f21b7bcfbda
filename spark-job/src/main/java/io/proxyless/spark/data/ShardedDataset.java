package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/** Driver side: ships the two splits to the executors once, as cached partitions. */
public final class ShardedDataset {

    private ShardedDataset() {}

    /** One {@link DataShard} per partition, cached in executor memory for the whole search. */
    public static JavaRDD<DataShard> distribute(
            JavaSparkContext sc, ImageDataset weightSplit, ImageDataset archSplit, int numPartitions) {
        List<DataShard> shards = new ArrayList<>();
        for (int p = 0; p < numPartitions; p++) {
            shards.add(new DataShard(p, numPartitions,
                    DataShard.rowsOf(weightSplit, p, numPartitions), DataShard.rowsOf(archSplit, p, numPartitions)));
        }
        JavaRDD<DataShard> rdd = sc.parallelize(shards, numPartitions)
                .setName("proxyless data shards")
                .persist(StorageLevel.MEMORY_AND_DISK());
        rdd.count();
        return rdd;
    }
}
