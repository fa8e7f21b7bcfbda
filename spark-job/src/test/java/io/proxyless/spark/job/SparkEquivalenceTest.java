package io.proxyless.spark.job;

import io.proxyless.nas.algorithm.SearchAlgorithms;
import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.train.InProcessData;
import io.proxyless.nas.train.SearchLoop;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.step.driver.SparkStepExecutor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    private static SupernetMaster search(TrainerConfig config, DataSummary splits,
            Function<Supernet, StepExecutor> executors) throws Exception {
        try (Supernet supernet = Supernet.of(config.model());
                StepExecutor executor = executors.apply(supernet)) {
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            new SearchLoop(config, master, executor, SearchAlgorithms.of(config, null), java.util.List.of(new io.proxyless.nas.listener.DivergenceCheck()), splits.weightSize(),
                    splits.archSize()).run();
            return master;
        }
    }

    private static SupernetMaster onSpark(TrainerConfig config, int partitions, int shards) throws Exception {
        SparkStepExecutor[] used = new SparkStepExecutor[1];
        try (SparkSearchData data = SparkTestSupport.distributed(spark, config, partitions, shards)) {
            SupernetMaster master = search(config, data.summary(), supernet -> used[0] = data.executor(supernet));
            assertEquals(partitions, used[0].describe().get("partitions"));
            assertEquals(shards, used[0].describe().get("shards"));
            return master;
        }
    }

    /**
     * Without batch norm a step's gradient is the same however the batch is cut into shards: the
     * same 40 rows as one shard in this JVM and as three shards on three partitions differ by rounding.
     */
    @Test
    void withoutBatchNormTheSameBatchInAnyShardsGivesTheSameStep() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(false, 240, 1, 40);
        InProcessData splits = SparkTestSupport.inProcess(config);
        try (Supernet supernet = Supernet.of(config.model());
                SparkSearchData data = SparkTestSupport.distributed(spark, config, 3, 3);
                StepExecutor local = splits.executor(supernet);
                StepExecutor distributed = data.executor(supernet)) {
            Map<String, String> here = new TreeMap<>(splits.summary().fingerprint());
            Map<String, String> there = new TreeMap<>(data.summary().fingerprint());
            here.remove("source");
            there.remove("source");
            assertEquals(here, there, "Spark splits the rows as this JVM does");
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            int[] rows = java.util.stream.IntStream.range(0, 40).map(i -> (i * 7) % splits.weightSplit().size()).toArray();
            for (StepKind kind : StepKind.values()) {
                SampledPath path = kind == StepKind.WEIGHT
                        ? new PathSampler(config.binaryMode()).sampleForWeights(master.architecture(), master.choices(),
                                new java.util.Random(1))
                        : new PathSampler(config.binaryMode()).sampleForArchitecture(master.architecture(),
                                master.choices(), new java.util.Random(1));
                StepRequest request = new StepRequest(kind, path, rows.length, 0.1f, 5L);
                StepExecutor.Split split = StepExecutor.Split.WEIGHT;
                StepResult one = local.execute(request, master.weightsFor(path, kind), split, ShardedBatch.single(rows));
                StepResult three = distributed.execute(request, master.weightsFor(path, kind), split,
                        ShardedBatch.byRow(rows, 3));
                assertEquals(rows.length, three.count());
                assertEquals(one.lossSum(), three.lossSum(), 1e-4 * Math.abs(one.lossSum()), kind + " loss");
                int compared = 0;
                for (var e : one.gradients().entrySet()) {
                    float[] a = e.getValue();
                    float[] b = three.gradients().get(e.getKey());
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], b[i], 1e-6 + 1e-4 * Math.abs(a[i]), kind + " " + e.getKey() + "[" + i + "]");
                    }
                    compared += a.length;
                }
                for (var e : one.gateGradients().entrySet()) {
                    assertArrayEquals(e.getValue(), three.gateGradients().get(e.getKey()), 1e-5, kind + " gate " + e.getKey());
                }
                assertTrue(kind == StepKind.ARCHITECTURE ? !one.gateGradients().isEmpty() : compared > 1_000, kind + ": " + compared);
            }
        }
    }

    /**
     * With batch norm, each shard normalises with its own statistics, so the shard count is part of the
     * search, as the per-replica batch is in DDP; the partition count is not. Four shards on one, two
     * and four partitions, and in this JVM: every weight, running statistic and alpha the same, to the bit.
     */
    @Test
    void withBatchNormTheSearchDependsOnShardsNotOnPartitions() throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(true, 240, 2, 40).toBuilder().set("shards", 4).build();
        InProcessData splits = SparkTestSupport.inProcess(config);
        SupernetMaster local = search(config, splits.summary(), splits::executor);
        for (int partitions : new int[] {1, 2, 4}) {
            SupernetMaster distributed = onSpark(config, partitions, 4);
            for (var entry : local.allValues().entrySet()) {
                assertArrayEquals(entry.getValue(), distributed.allValues().get(entry.getKey()),
                        partitions + " partitions: " + entry.getKey());
            }
            for (String label : local.architecture().labels()) {
                assertArrayEquals(local.architecture().alpha(label), distributed.architecture().alpha(label),
                        partitions + " partitions: alpha " + label);
            }
        }
        String runningMean = local.allValues().keySet().stream().filter(n -> n.endsWith("runningMean")).findFirst()
                .orElseThrow();
        assertFalse(Arrays.equals(new float[local.allValues().get(runningMean).length], local.allValues().get(runningMean)),
                "batch statistics reached the running mean " + runningMean);
        // The shard count does change a search with batch norm: what is invariant is stated, not everything.
        TrainerConfig twoShardConfig = config.toBuilder().set("shards", 2).build();
        InProcessData twoShardSplits = SparkTestSupport.inProcess(twoShardConfig);
        SupernetMaster twoShards = search(twoShardConfig, twoShardSplits.summary(), twoShardSplits::executor);
        assertFalse(Arrays.equals(local.allValues().get("classifier.weight"), twoShards.allValues().get("classifier.weight")));
    }
}
