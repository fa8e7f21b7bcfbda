package io.proxyless.spark.data;

import io.proxyless.nas.data.ImageDataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * The cached data partitions of a search and the broadcast they are built from (kept for as long as
 * a lost partition may have to be rebuilt from its lineage). Closing releases both.
 */
public record DistributedData(JavaRDD<DataShard> partitions, Broadcast<ImageDataset[]> splits) implements AutoCloseable {

    @Override
    public void close() {
        partitions.unpersist(false);
        splits.destroy(false);
    }
}
