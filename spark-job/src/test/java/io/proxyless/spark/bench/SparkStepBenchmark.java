package io.proxyless.spark.bench;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.nas.train.ShardedBatch;
import io.proxyless.nas.train.StepExecutor;
import io.proxyless.nas.train.StepKind;
import io.proxyless.nas.train.StepRequest;
import io.proxyless.nas.train.StepResult;
import io.proxyless.nas.train.SupernetMaster;
import io.proxyless.nas.train.InProcessData;
import io.proxyless.spark.data.DistributedSplits;
import io.proxyless.spark.source.DataSources;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.step.SparkStepExecutor;
import io.proxyless.spark.step.StepTimings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Step time of the Spark job in local mode against the in-process loop, same global batch, threads
 * and seed (scripts/bench/spark_steps.sh). One step = a weight step and an architecture step. Step
 * times are medians over rounds that alternate the order; the Spark breakdown is a mean over all.
 */
public final class SparkStepBenchmark {

    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(System.getProperty("bench.steps", "12"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
        TrainerConfig base = TrainerConfig.builder().optDataset(DatasetConfig.defaults().withLimit(4096)).build();
        try (SparkSession spark = SparkSearch.session("local[" + threads + "]");
                Supernet supernet = Supernet.of(base.model())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            long supernetBytes = 4L * supernet.parameterInfos().stream()
                    .filter(ParameterInfo::isTrainable).mapToLong(ParameterInfo::size).sum();
            System.out.printf(Locale.ROOT, "%-6s %-11s %9s %9s %9s %9s %9s %9s %12s %12s%n", "batch", "executor",
                    "step ms", "bcast ms", "task ms", "aggr ms", "destroy", "update ms", "sent/step", "back/step");
            for (int batch : new int[] {64, 256}) {
                TrainerConfig config = base.toBuilder().optBatchSize(batch).build();
                InProcessData splits = InProcessData.load(config, new LocalFileSource(Path.of(DatasetConfig.DEBIAN_FASHION_MNIST)));
                StepExecutor local = splits.executor(supernet);
                DistributedSplits data = DistributedSplits.of(spark, DataSources.open(spark, config.dataset()), config, 1, 1);
                SparkStepExecutor distributed = data.executor(supernet);
                // Rounds alternate which goes first, and medians are reported: the machine drifts.
                double[][] inProcessRounds = new double[rounds][];
                double[][] sparkRounds = new double[rounds][];
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        inProcessRounds[r] = run(config, supernet, local, steps);
                        sparkRounds[r] = run(config, supernet, distributed, steps);
                    } else {
                        sparkRounds[r] = run(config, supernet, distributed, steps);
                        inProcessRounds[r] = run(config, supernet, local, steps);
                    }
                }
                double[] inProcess = median(inProcessRounds);
                double[] onSpark = median(sparkRounds);
                StepTimings t = distributed.timings();
                System.out.printf(Locale.ROOT, "%-6d %-11s %9.1f %9s %9s %9s %9s %9.2f %12s %12s%n", batch, "in-process",
                        inProcess[0], "-", "-", "-", "-", inProcess[1], "-", "-");
                System.out.printf(Locale.ROOT, "%-6d %-11s %9.1f %9.2f %9.1f %9.2f %9.2f %9.2f %11.0fK %11.0fK%n", batch,
                        "spark", onSpark[0], 2 * t.broadcastMs(), 2 * t.computeMs(), 2 * t.aggregationMs(),
                        2 * t.destroyMs(), onSpark[1], 2 * t.bytesOutPerStep() / 1024, 2 * t.bytesBackPerStep() / 1024);
                System.out.printf(Locale.ROOT, "%-6d spark / in-process: %.3f%n", batch, onSpark[0] / inProcess[0]);
            }
            System.out.printf(Locale.ROOT, "whole supernet: %.0fK of trainable weights%n", supernetBytes / 1024.0);
        }
    }

    /** Per column, the median over rounds. */
    private static double[] median(double[][] rounds) {
        double[] median = new double[rounds[0].length];
        for (int c = 0; c < median.length; c++) {
            int column = c;
            double[] values = java.util.Arrays.stream(rounds).mapToDouble(r -> r[column]).sorted().toArray();
            median[c] = values[values.length / 2];
        }
        return median;
    }

    /** Mean ms per (weight + arch) step and mean ms of the driver-side updates. */
    private static double[] run(TrainerConfig config, Supernet supernet, StepExecutor executor, int steps) {
        SupernetMaster master = SearchRun.newMaster(config, supernet);
        PathSampler sampler = new PathSampler(config.binaryMode());
        Random random = new Random(config.seed());
        int batch = config.batchSize();
        long total = 0;
        long update = 0;
        for (int s = -2; s < steps; s++) {
            long start = System.nanoTime();
            long updateNanos = 0;
            for (StepKind kind : StepKind.values()) {
                SampledPath path = kind == StepKind.WEIGHT
                        ? sampler.sampleForWeights(master.architecture(), master.choices(), random)
                        : sampler.sampleForArchitecture(master.architecture(), master.choices(), random);
                int[] rows = new int[batch];
                for (int i = 0; i < batch; i++) {
                    rows[i] = random.nextInt(1024);
                }
                StepExecutor.Split split = kind == StepKind.WEIGHT ? StepExecutor.Split.WEIGHT : StepExecutor.Split.ARCHITECTURE;
                StepResult result = executor.execute(new StepRequest(kind, path, batch, 0.1f, s),
                        master.weightsFor(path, kind), split, ShardedBatch.single(rows));
                long u = System.nanoTime();
                if (kind == StepKind.WEIGHT) {
                    master.applyWeightStep(result, 0.01f);
                } else {
                    master.applyArchitectureStep(result, path, 1.0, Map.of());
                }
                updateNanos += System.nanoTime() - u;
            }
            if (s >= 0) {
                total += System.nanoTime() - start;
                update += updateNanos;
            }
        }
        return new double[] {total / 1e6 / steps, update / 1e6 / steps};
    }
}
