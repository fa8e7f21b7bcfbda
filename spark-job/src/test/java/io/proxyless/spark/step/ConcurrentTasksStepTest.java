package io.proxyless.spark.step;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.nas.train.StepExecutor;
import io.proxyless.nas.train.StepKind;
import io.proxyless.nas.train.StepRequest;
import io.proxyless.nas.train.StepResult;
import io.proxyless.nas.train.SupernetMaster;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.data.ShardedDataset;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tasks that run side by side finish in any order; the step's sum must not depend on it. Five
 * partitions on three task slots (with five, Spark's treeAggregate sums all five on the driver, in
 * the order tasks finish), the same step repeated: every repeat gives the same bits.
 */
class ConcurrentTasksStepTest {

    @Test
    void sameStepSameBitsWhateverTheTaskOrder() throws Exception {
        System.setProperty("spark.task.cpus", "1");
        SparkSession spark;
        try {
            spark = SparkSearch.session("local[3]");
        } finally {
            System.clearProperty("spark.task.cpus");
        }
        try (Supernet supernet = Supernet.of(SparkTestSupport.smallConfig(true, 240, 1, 48).model())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            assertEquals("1", sc.getConf().get("spark.task.cpus"));
            TrainerConfig config = SparkTestSupport.smallConfig(true, 240, 1, 48);
            ImageDataset[] splits = SearchRun.loadSplits(config, SparkTestSupport.fashionMnist());
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            SampledPath path = new PathSampler(config.binaryMode()).sample(master.architecture(), master.choices(), new Random(3));
            int[] rows = IntStream.range(0, 48).toArray();
            try (StepExecutor executor = new SparkStepExecutor(sc, ShardedDataset.distribute(sc, splits[0], splits[1], 5), config)) {
                StepResult first = null;
                for (int repeat = 0; repeat < 6; repeat++) {
                    for (StepKind kind : StepKind.values()) {
                        StepResult result = executor.execute(new StepRequest(kind, path, rows.length, 0.1f, 11L),
                                master.weightsFor(path, kind), kind == StepKind.WEIGHT
                                        ? StepExecutor.Split.WEIGHT : StepExecutor.Split.ARCHITECTURE, rows);
                        if (kind == StepKind.WEIGHT && first == null) {
                            first = result;
                        } else if (kind == StepKind.WEIGHT) {
                            assertEquals(first.lossSum(), result.lossSum(), "repeat " + repeat);
                            for (var e : first.gradients().entrySet()) {
                                assertArrayEquals(e.getValue(), result.gradients().get(e.getKey()), "repeat " + repeat + ": " + e.getKey());
                            }
                            for (var e : first.batchStats().entrySet()) {
                                assertArrayEquals(e.getValue().variance(), result.batchStats().get(e.getKey()).variance(),
                                        "repeat " + repeat + ": " + e.getKey());
                            }
                        }
                    }
                }
            }
        } finally {
            spark.stop();
        }
    }
}
