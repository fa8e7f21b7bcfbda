package io.proxyless.spark.data;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.data.RowKey;
import io.proxyless.nas.data.SplitPlan;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.spark.source.ImageTable;
import io.proxyless.spark.source.LabelIndex;
import io.proxyless.spark.source.LabeledImage;
import io.proxyless.spark.source.TableDecoder;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * Driver side of the data path: splits a table on the executors and keeps each split's rows in
 * the partitions that compute them. The driver sees counts and sums only:
 * <ol>
 *   <li>the label counts, from one aggregation, give the {@link SplitPlan};</li>
 *   <li>rows are decoded where they are read, then sorted by (class, seeded order of content key)
 *       with a range partitioner that needs no sampling; a row's index in that order gives its rank in
 *       its class, hence its split and row number;</li>
 *   <li>each row goes to the partition of its shard, {@code shardOf(row) % partitions}, and the
 *       partitions are cached as {@link DataShard}s;</li>
 *   <li>one reduction over them gives the checksums and the pixel sums of the normalisation.</li>
 * </ol>
 * The result depends on the rows only: not on the file layout, the read partitioning or the cluster.
 */
public final class DistributedSplits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedSplits.class);

    private final JavaSparkContext sc;
    private final JavaRDD<DataShard> partitions;
    private final int numShards;
    private final SpaceSpec space;
    private final DataSummary summary;

    private DistributedSplits(JavaSparkContext sc, JavaRDD<DataShard> partitions, int numShards, SpaceSpec space,
            DataSummary summary) {
        this.sc = sc;
        this.partitions = partitions;
        this.numShards = numShards;
        this.space = space;
        this.summary = summary;
    }

    /** Splits {@code table} into {@code numPartitions} cached partitions holding {@code numShards} shards. */
    public static DistributedSplits of(SparkSession spark, ImageTable table, TrainerConfig config, int numPartitions,
            int numShards) {
        return SparkErrors.rethrowingBadData(() -> build(spark, table, config, numPartitions, numShards));
    }

    private static DistributedSplits build(SparkSession spark, ImageTable table, TrainerConfig config, int numPartitions,
            int numShards) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SpaceSpec space = config.spaceSpec();
        SearchSpace built = config.searchSpace();
        int numClasses = built.numClasses();
        int[] shape = built.inputShape();
        table.checkColumns();
        LabelIndex labels = LabelIndex.of(table, numClasses);
        SortedMap<Integer, Long> counts = labels.counts();
        SplitPlan plan = SplitPlan.of(counts, labels.names(), numClasses, config.dataset().limit(),
                config.dataset().trainPortion());
        long[] classStart = new long[numClasses];
        long total = 0;
        for (int c = 0; c < numClasses; c++) {
            classStart[c] = total;
            total += counts.getOrDefault(c, 0L);
        }
        long seed = config.seed();
        JavaRDD<LabeledImage> decoded = TableDecoder.decode(table, labels, shape, config.dataset().maxImagePixels());
        JavaRDD<DataShard> shards = decoded
                .mapToPair(img -> new Tuple2<>(new RowOrder(img.label(), RowKey.order(seed, img.key()), img.key()), img))
                .repartitionAndSortWithinPartitions(ClassOrderPartitioner.atLeast(numClasses, 2 * numPartitions))
                .zipWithIndex()
                .flatMapToPair(ranked -> {
                    LabeledImage img = ranked._1()._2();
                    long rank = ranked._2() - classStart[img.label()];
                    int split = plan.splitOf(img.label(), rank);
                    if (split == SplitPlan.DROPPED) {
                        return Collections.emptyIterator();
                    }
                    int row = plan.rowOf(img.label(), rank);
                    int target = ShardedBatch.shardOf(row, numShards) % numPartitions;
                    return List.of(new Tuple2<>(target,
                            new DataShard.PlacedRow(split, row, img.label(), img.key(), img.pixels()))).iterator();
                })
                .partitionBy(new HashPartitioner(numPartitions))
                .values()
                .mapPartitionsWithIndex((p, rows) -> List.of(DataShard.of(p, numPartitions, numShards, rows, shape))
                        .iterator(), true)
                .setName("proxyless data shards")
                .persist(StorageLevel.MEMORY_AND_DISK());
        DataShard.Stats stats;
        try {
            stats = shards.map(DataShard::stats).reduce(DataShard.Stats::merge);
        } catch (RuntimeException e) {
            shards.unpersist(false);
            throw e;
        }
        if (stats.weightRows() != plan.size(SplitPlan.WEIGHT) || stats.archRows() != plan.size(SplitPlan.ARCHITECTURE)) {
            shards.unpersist(false);
            throw new IllegalStateException("the partitions hold " + stats.weightRows() + " + " + stats.archRows()
                    + " rows but the plan has " + plan.size(SplitPlan.WEIGHT) + " + " + plan.size(SplitPlan.ARCHITECTURE)
                    + "; did " + table.description() + " change while it was read?");
        }
        DataSummary summary = DataSummary.of(table.description(), labels.names(), plan.classCounts(SplitPlan.WEIGHT),
                stats.weightChecksum(), plan.classCounts(SplitPlan.ARCHITECTURE), stats.archChecksum(),
                config.dataset().normalization(), stats.pixels(), shape[0]);
        LOG.info("data: {} weight / {} architecture rows of {} in {} partitions, {} classes, {}", summary.weightSize(),
                summary.archSize(), table.description(), numPartitions, labels.names().size(), summary.normalization());
        return new DistributedSplits(sc, shards, numShards, space, summary);
    }

    public JavaRDD<DataShard> partitions() {
        return partitions;
    }

    public DataSummary summary() {
        return summary;
    }

    public JavaSparkContext sparkContext() {
        return sc;
    }

    public int numShards() {
        return numShards;
    }

    public SpaceSpec space() {
        return space;
    }

    @Override
    public void close() {
        partitions.unpersist(false);
    }
}
