package io.proxyless.spark.job;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.train.ArchitectureLoss;
import io.proxyless.nas.train.SearchLoop;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.nas.train.StepExecutor;
import io.proxyless.nas.train.SupernetMaster;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.data.ShardedDataset;
import io.proxyless.spark.step.SparkStepExecutor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed step computes what the in-process step computes, for any number of partitions. */
class SparkEquivalenceTest {

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkSearch.session("local[2]");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SupernetMaster search(TrainerConfig config, ImageDataset[] splits,
            Function<Supernet, StepExecutor> executors) throws Exception {
        try (Supernet supernet = Supernet.of(config.model());
                StepExecutor executor = executors.apply(supernet)) {
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            new SearchLoop(config, master, executor, ArchitectureLoss.NONE, report -> { }, splits[0].size(),
                    splits[1].size()).run();
            return master;
        }
    }

    @Test
    void oneAndThreePartitionsMatchTheInProcessLoop() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(false, 240, 1, 40);
        ImageDataset[] splits = SearchRun.loadSplits(config, SparkTestSupport.fashionMnist());
        SupernetMaster local = search(config, splits, supernet -> SearchRun.inProcess(config)
                .createUnchecked(supernet, splits[0], splits[1]));
        for (int partitions : new int[] {1, 3}) {
            SparkStepExecutor[] used = new SparkStepExecutor[1];
            SupernetMaster distributed = search(config, splits, supernet -> used[0] = new SparkStepExecutor(
                    sc, ShardedDataset.distribute(sc, splits[0], splits[1], partitions), config));
            assertEquals(partitions, used[0].describe().get("partitions"));
            int compared = 0;
            for (var entry : local.allValues().entrySet()) {
                float[] a = entry.getValue();
                float[] b = distributed.allValues().get(entry.getKey());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 2e-5 + 2e-4 * Math.abs(a[i]),
                            partitions + " partitions: " + entry.getKey() + "[" + i + "]");
                }
                compared += a.length;
            }
            assertTrue(compared > 10_000);
            for (String label : local.architecture().labels()) {
                double[] a = local.architecture().alpha(label);
                double[] b = distributed.architecture().alpha(label);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-6, partitions + " partitions: alpha " + label + "[" + i + "]");
                }
            }
        }
        // The search moved the state at all: otherwise equality would prove nothing.
        assertFalse(java.util.Arrays.equals(
                local.allValues().get("classifier.weight"),
                SearchRun.newMaster(config, Supernet.of(config.model()))
                        .allValues().get("classifier.weight")));
    }
}
