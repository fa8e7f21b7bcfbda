package io.proxyless.spark.step;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.job.SparkSearchData;
import io.proxyless.spark.step.driver.SparkStepExecutor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
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
        TrainerConfig config = SparkTestSupport.smallConfig(true, 240, 1, 48);
        try (Supernet supernet = Supernet.of(config.model())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            assertEquals("1", sc.getConf().get("spark.task.cpus"));
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            SampledPath path = new PathSampler(config.binaryMode())
                    .sampleForArchitecture(master.architecture(), master.choices(), new Random(3));
            ShardedBatch rows = ShardedBatch.byRow(IntStream.range(0, 48).toArray(), 5);
            try (SparkSearchData data = SparkTestSupport.distributed(spark, config, 5, 5);
                    StepExecutor executor = data.executor(supernet)) {
                Map<StepKind, StepResult> first = new EnumMap<>(StepKind.class);
                for (int repeat = 0; repeat < 6; repeat++) {
                    for (StepKind kind : StepKind.values()) {
                        StepResult result = executor.execute(new StepRequest(kind, path, rows.size(), 0.1f, 11L),
                                master.weightsFor(path, kind), kind == StepKind.WEIGHT
                                        ? StepExecutor.Split.WEIGHT : StepExecutor.Split.ARCHITECTURE, rows);
                        StepResult expected = first.putIfAbsent(kind, result);
                        if (expected != null) {
                            assertSameBits(expected, result, kind + " step, repeat " + repeat);
                        }
                    }
                }
                assertEquals("per-step", executor.describe().get("step_tasks"),
                        "five partitions with shards cannot each hold one of three slots");
            }
        } finally {
            spark.stop();
        }
    }

    private static void assertSameBits(StepResult expected, StepResult actual, String what) {
        assertEquals(expected.lossSum(), actual.lossSum(), what);
        expected.gradients().forEach((name, g) -> assertArrayEquals(g, actual.gradients().get(name), what + ": " + name));
        expected.gateGradients().forEach((label, g) ->
                assertArrayEquals(g, actual.gateGradients().get(label), what + ": gate " + label));
        expected.batchStats().forEach((name, stats) ->
                assertArrayEquals(stats.variance(), actual.batchStats().get(name).variance(), what + ": " + name));
    }
}
