package io.proxyless.spark.job;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.train.SearchData;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.data.DistributedSplits;
import io.proxyless.spark.evaluate.DistributedEvaluator;
import io.proxyless.spark.source.ImageTable;
import io.proxyless.spark.step.driver.SparkStepExecutor;
import io.proxyless.spark.step.driver.StepTasks;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * A search's data on Spark: the cached splits, the step executor that runs on their partitions, and
 * the hold-out evaluator over the architecture split. It joins the data room and the step's driver
 * side, so that neither needs the other.
 */
public final class SparkSearchData implements SearchData {

    private final DistributedSplits splits;
    private final StepTasks stepTasks;

    private SparkSearchData(DistributedSplits splits, StepTasks stepTasks) {
        this.splits = splits;
        this.stepTasks = stepTasks;
    }

    /** Splits {@code table} into {@code numPartitions} cached partitions holding {@code numShards} shards. */
    public static SparkSearchData of(SparkSession spark, ImageTable table, TrainerConfig config, int numPartitions,
            int numShards) {
        // A mistyped setting is refused before the data are read, not after.
        StepTasks stepTasks = StepTasks.of(spark.sparkContext().getConf());
        return new SparkSearchData(DistributedSplits.of(spark, table, config, numPartitions, numShards), stepTasks);
    }

    public JavaRDD<DataShard> partitions() {
        return splits.partitions();
    }

    @Override
    public DataSummary summary() {
        return splits.summary();
    }

    @Override
    public SparkStepExecutor executor(Supernet supernet) {
        return new SparkStepExecutor(splits.sparkContext(), splits.partitions(), splits.numShards(), splits.space(),
                supernet.device(), splits.summary().normalization(),
                Augmentation.forChannels(splits.space().create().inputShape()[0]), stepTasks);
    }

    @Override
    public DistributedEvaluator holdOut(Supernet supernet) {
        return new DistributedEvaluator(splits.sparkContext(),
                splits.partitions().map(shard -> shard.rows(StepExecutor.Split.ARCHITECTURE)), splits.space(), supernet.device(),
                splits.summary().normalization(),
                "the hold-out (architecture split, " + splits.summary().archSize() + " rows)", false);
    }

    @Override
    public void close() {
        splits.close();
    }
}
