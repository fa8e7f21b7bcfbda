package io.proxyless.spark.bench;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.train.InProcessData;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.job.SparkSearchData;
import io.proxyless.spark.source.DataSources;
import io.proxyless.spark.step.driver.SparkStepExecutor;
import io.proxyless.spark.step.driver.StepTasks;
import io.proxyless.spark.step.driver.StepTimings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Step time of the Spark job in local mode, with long-running step tasks and with a job per step,
 * against the in-process loop, same global batch, threads and seed (scripts/bench/spark_steps.sh).
 * One step = a weight step and an architecture step. Step times are medians over rounds that rotate
 * the order; the Spark breakdown is a mean over all.
 */
public final class SparkStepBenchmark {

    private static final int[] BATCHES = java.util.Arrays.stream(System.getProperty("bench.batches", "64,256").split(","))
            .mapToInt(Integer::parseInt).toArray();

    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(System.getProperty("bench.steps", "12"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
        TrainerConfig base = TrainerConfig.builder().optDataset(DatasetConfig.defaults().withLimit(4096)).build();
        try (SparkSession spark = SparkSearch.session("local[" + threads + "]");
                Supernet supernet = Supernet.of(base.model())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            SESSION = spark;
            tasks = new TaskTimes();
            spark.sparkContext().addSparkListener(tasks);
            long supernetBytes = 4L * supernet.parameterInfos().stream()
                    .filter(ParameterInfo::isTrainable).mapToLong(ParameterInfo::size).sum();
            System.out.printf(Locale.ROOT, "%-6s %-13s %9s %9s %9s %9s %9s %9s %12s %12s%n", "batch", "executor",
                    "step ms", "send ms", "task ms", "aggr ms", "destroy", "update ms", "sent/step", "back/step");
            for (int batch : BATCHES) {
                TrainerConfig config = base.toBuilder().set("batch_size", batch).build();
                InProcessData splits = InProcessData.load(config, new LocalFileSource(Path.of(DatasetConfig.DEBIAN_FASHION_MNIST)));
                StepExecutor local = splits.executor(supernet);
                SparkSearchData data = SparkSearchData.of(spark, DataSources.open(spark, config.dataset()), config, 1, 1);
                SparkStepExecutor longRunning = data.executor(supernet);
                SparkStepExecutor perStep = new SparkStepExecutor(sc, data.partitions(), 1, config.spaceSpec(),
                        supernet.device(), data.summary().normalization(), null, StepTasks.PER_STEP);
                StepExecutor[] executors = {local, perStep, longRunning};
                // Each round rotates which goes first, and medians are reported: the machine drifts.
                double[][][] timesByExecutor = new double[executors.length][rounds][];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < executors.length; k++) {
                        int e = (r + k) % executors.length;
                        timesByExecutor[e][r] = run(config, supernet, executors[e], steps);
                    }
                }
                double[] inProcess = median(timesByExecutor[0]);
                System.out.printf(Locale.ROOT, "%-6d %-13s %9.1f %9s %9s %9s %9s %9.2f %12s %12s%n", batch, "in-process",
                        inProcess[0], "-", "-", "-", "-", inProcess[1], "-", "-");
                String[] names = {null, "spark per-step", "spark long-run"};
                for (int e = 1; e < executors.length; e++) {
                    double[] onSpark = median(timesByExecutor[e]);
                    StepTimings t = ((SparkStepExecutor) executors[e]).timings();
                    System.out.printf(Locale.ROOT, "%-6d %-13s %9.1f %9.2f %9.1f %9.2f %9.2f %9.2f %11.0fK %11.0fK%n",
                            batch, names[e], onSpark[0], 2 * t.broadcastMs(), 2 * t.computeMs(), 2 * t.aggregationMs(),
                            2 * t.destroyMs(), onSpark[1], 2 * t.bytesOutPerStep() / 1024, 2 * t.bytesBackPerStep() / 1024);
                }
                for (int e = 1; e < executors.length; e++) {
                    System.out.printf(Locale.ROOT, "%-6d %s / in-process: %.3f (Spark's own part %.1f ms a step)%n", batch,
                            names[e], median(timesByExecutor[e])[0] / inProcess[0],
                            sparkOwnMs(((SparkStepExecutor) executors[e]).timings()));
                }
                perStep.close();
                longRunning.close();
                data.close();
            }
            System.out.printf(Locale.ROOT, "whole supernet: %.0fK of trainable weights%n", supernetBytes / 1024.0);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            System.out.println(tasks.summary());
        }
    }

    /** The broadcast (or encoding), the time around the slowest task's compute, and the destroy, per step. */
    private static double sparkOwnMs(StepTimings t) {
        return 2 * (t.broadcastMs() + t.aggregationMs() + t.destroyMs());
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
    private static TaskTimes tasks;
    private static SparkSession SESSION;
    private static final java.util.Set<SparkStepExecutor> WARMED = new java.util.HashSet<>();

    private static double[] run(TrainerConfig config, Supernet supernet, StepExecutor executor, int steps)
            throws java.util.concurrent.TimeoutException {
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
                executor.announce("bench step");
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
            if (s == -1 && executor instanceof SparkStepExecutor spark && WARMED.add(spark)) {
                // The breakdown, like the step time, leaves out the first round's warm-up steps.
                SESSION.sparkContext().listenerBus().waitUntilEmpty();
                spark.timings().reset();
                tasks.reset();
            }
            if (s >= 0) {
                total += System.nanoTime() - start;
                update += updateNanos;
            }
        }
        return new double[] {total / 1e6 / steps, update / 1e6 / steps};
    }

    /** Where a step's task spends the time Spark accounts for: means over the tasks of step jobs. */
    static final class TaskTimes extends org.apache.spark.scheduler.SparkListener {
        private long tasks;
        private long deserialize;
        private long run;
        private long resultSerialization;
        private long gettingResult;
        private long gc;
        private long duration;
        private long resultBytes;
        private final java.util.Map<Integer, Long> jobStart = new java.util.HashMap<>();
        private long jobs;
        private long jobMillis;

        private final java.util.Set<Integer> stepStages = new java.util.HashSet<>();

        @Override
        public synchronized void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
            // Per-step jobs only: a long-running job's one task per partition lasts for many steps.
            if (SparkStepExecutor.JOB_GROUP.equals(e.properties().getProperty("spark.jobGroup.id"))
                    && e.properties().getProperty(SparkStepExecutor.LONG_RUNNING_JOB) == null) {
                jobStart.put(e.jobId(), e.time());
                scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds()).forEach(id -> stepStages.add((Integer) id));
            }
        }

        @Override
        public synchronized void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
            Long start = jobStart.remove(e.jobId());
            if (start != null) {
                jobs++;
                jobMillis += e.time() - start;
            }
        }

        @Override
        public synchronized void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
            if (e.taskMetrics() == null || !stepStages.contains(e.stageId())) {
                return;
            }
            tasks++;
            deserialize += e.taskMetrics().executorDeserializeTime();
            run += e.taskMetrics().executorRunTime();
            resultSerialization += e.taskMetrics().resultSerializationTime();
            gc += e.taskMetrics().jvmGCTime();
            resultBytes += e.taskMetrics().resultSize();
            gettingResult += e.taskInfo().gettingResultTime();
            duration += e.taskInfo().duration();
        }

        synchronized void reset() {
            tasks = 0;
            deserialize = 0;
            run = 0;
            resultSerialization = 0;
            gettingResult = 0;
            gc = 0;
            duration = 0;
            resultBytes = 0;
            jobs = 0;
            jobMillis = 0;
        }

        synchronized String summary() {
            return String.format(Locale.ROOT, "per task (mean of %d): deserialize %.1f ms, run %.1f ms, result"
                    + " serialization %.1f ms, getting result %.1f ms, GC %.1f ms, launch-to-end %.1f ms, result %.0fK;"
                    + " per job (mean of %d, listener clock): %.1f ms", tasks, (double) deserialize / tasks,
                    (double) run / tasks, (double) resultSerialization / tasks, (double) gettingResult / tasks,
                    (double) gc / tasks, (double) duration / tasks, resultBytes / 1024.0 / tasks, jobs,
                    (double) jobMillis / jobs);
        }
    }
}
