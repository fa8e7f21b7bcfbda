package io.proxyless.spark.evaluate;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.spark.data.SparkErrors;
import io.proxyless.spark.source.ImageTable;
import io.proxyless.spark.source.LabelIndex;
import io.proxyless.spark.source.LabeledImage;
import io.proxyless.spark.source.TableDecoder;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * A labelled table held for scoring: decoded where it is read (as the training data is), with the
 * model's classes, spread over {@code partitions} cached partitions of 8-bit images.
 */
public final class TestSets {

    private TestSets() {}

    public static DistributedEvaluator hold(SparkSession spark, ImageTable table, List<String> classNames,
            SpaceSpec space, ComputeDevice device, Normalization norm, int partitions, long maxPixels) {
        return SparkErrors.rethrowingBadData(() -> {
            table.checkColumns();
            int[] shape = space.create().inputShape();
            JavaRDD<LabeledImage> decoded = TableDecoder.decode(table, LabelIndex.forClasses(table, classNames), shape,
                    maxPixels);
            JavaRDD<ImageDataset> held = decoded.repartition(partitions)
                    .mapPartitions(rows -> List.of(collect(rows, shape)).iterator(), true)
                    .setName("proxyless test set " + table.description())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long rows;
            try {
                rows = held.map(d -> (long) d.size()).reduce(Long::sum);
            } catch (RuntimeException e) {
                held.unpersist(false);
                throw e;
            }
            return new DistributedEvaluator(JavaSparkContext.fromSparkContext(spark.sparkContext()), held, space, device, norm,
                    table.description() + " (" + rows + " rows)", true);
        });
    }

    private static ImageDataset collect(java.util.Iterator<LabeledImage> rows, int[] shape) {
        List<LabeledImage> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        return ImageDataset.of(all, shape);
    }
}
