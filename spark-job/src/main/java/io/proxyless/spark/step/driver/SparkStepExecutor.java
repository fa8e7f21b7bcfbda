package io.proxyless.spark.step.driver;

import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.TorchThreads;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.step.StepPayload;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Driver side of a distributed step: each cached partition computes the shards of the global batch it
 * holds, and the results are summed in shard order. By default the partitions' tasks run for many
 * steps ({@link LongRunningSteps}); where the cluster has fewer task slots than partitions with
 * shards, or with {@code spark.proxyless.step.tasks=per-step} ({@link StepTasks}), each step is a Spark job of its own
 * ({@link StepJobs}). Both give the same bits.
 */
public final class SparkStepExecutor implements StepExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(SparkStepExecutor.class);

    /** The Spark job group of every step. */
    public static final String JOB_GROUP = "proxyless-search";

    /**
     * The job property that marks a long-running step job, with its endpoint's name as the value, so
     * that the watch for other jobs (and a listener of yours) can tell it apart.
     */
    public static final String LONG_RUNNING_JOB = "proxyless.step.endpoint";

    private final JavaSparkContext sc;
    private final ComputeDevice device;
    private final JavaRDD<DataShard> partitions;
    private final SpaceSpec space;
    private final Normalization norm;
    private final Augmentation augmentation;
    private final StepJobs jobs;
    private final StepTimings timings = new StepTimings();
    private final TreeSet<String> workers = new TreeSet<>();
    private final int numShards;
    private final int partitionsWithShards;
    private final boolean longRunningAllowed;
    private LongRunningSteps longRunning;
    private int longRunningJobs;
    private long stepsOnLongRunningTasks;
    private String perStepReason;
    private String announced = "search steps";

    /**
     * @param partitions the cached data, each partition holding whole shards ({@link DataShard})
     * @param numShards the shards each batch is cut into, as {@code partitions} hold them
     * @param augmentation applied to the weight split's rows, or {@code null}
     */
    public SparkStepExecutor(JavaSparkContext sc, JavaRDD<DataShard> partitions, int numShards, SpaceSpec space,
            Normalization norm, Augmentation augmentation) {
        this(sc, partitions, numShards, space, ComputeDevice.CPU, norm, augmentation, StepTasks.of(sc.getConf()));
    }

    /**
     * @param device what the executors compute on (a GPU: the one Spark assigned to each task)
     * @param tasks how partitions compute steps, instead of the session's {@code spark.proxyless.step.tasks}
     */
    public SparkStepExecutor(JavaSparkContext sc, JavaRDD<DataShard> partitions, int numShards, SpaceSpec space,
            ComputeDevice device, Normalization norm, Augmentation augmentation, StepTasks tasks) {
        this.sc = sc;
        this.device = device;
        this.partitions = partitions;
        this.numShards = numShards;
        this.space = space;
        this.norm = norm;
        this.augmentation = augmentation;
        this.jobs = new StepJobs(sc, partitions, space, norm, augmentation);
        this.partitionsWithShards = Math.min(numShards, partitions.getNumPartitions());
        this.longRunningAllowed = tasks == StepTasks.LONG_RUNNING;
    }

    @Override
    public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, ShardedBatch batch) {
        StepPayload payload = new StepPayload(request, weights, split, batch, device);
        StepResult result = null;
        if (longRunningReady()) {
            try {
                result = longRunning.run(payload, timings);
                stepsOnLongRunningTasks++;
            } catch (StepTasksLost e) {
                LOG.warn("{}; this step runs as a Spark job of its own, the next on new long-running tasks",
                        e.getMessage());
                longRunning.cancel();
                longRunning = null;
            }
        }
        if (result == null) {
            result = jobs.run(payload, timings);
        }
        workers.addAll(result.workers());
        return result;
    }

    /** Starts long-running tasks where allowed and possible, or keeps those that run. */
    private boolean longRunningReady() {
        if (!longRunningAllowed) {
            return false;
        }
        if (longRunning != null && !longRunning.stopped()) {
            return true;
        }
        if (longRunning != null) {
            longRunning.close();
            longRunning = null;
        }
        int slots = LongRunningSteps.taskSlots(sc);
        if (slots < partitionsWithShards) {
            String reason = partitionsWithShards + " partitions hold shards and the cluster runs " + slots
                    + " tasks at once";
            if (!reason.equals(perStepReason)) {
                LOG.info("steps run as one Spark job each: {}", reason);
                perStepReason = reason;
            }
            return false;
        }
        perStepReason = null;
        longRunning = LongRunningSteps.start(sc, partitions, partitionsWithShards, space, norm, augmentation,
                announced + " and on (long-running tasks)");
        longRunningJobs++;
        return true;
    }

    /**
     * Spark's UI and listeners then show each per-step job as this, in the job group {@code
     * proxyless-search}; a long-running job shows the step it started at.
     */
    @Override
    public void announce(String description) {
        announced = description;
        sc.setJobGroup(JOB_GROUP, description, false);
    }

    @Override
    public int shards() {
        return numShards;
    }

    @Override
    public void close() {
        try {
            if (longRunning != null) {
                longRunning.close();
                longRunning = null;
            }
        } finally {
            // The group is a property of this thread: later jobs of the same session must not carry it.
            sc.clearJobGroup();
        }
    }

    public StepTimings timings() {
        return timings;
    }

    /** Executors that computed at least one shard so far. */
    public Set<String> workers() {
        return Collections.unmodifiableSet(workers);
    }

    /** How many long-running step jobs were started so far (one, unless other jobs or lost slots ended some). */
    public int longRunningJobs() {
        return longRunningJobs;
    }

    /** Steps computed by long-running tasks so far. */
    public long longRunningSteps() {
        return stepsOnLongRunningTasks;
    }

    @Override
    public String torchThreads() {
        if (sc.isLocal()) {
            return TorchThreads.ofThisJvm();
        }
        String set = TorchThreads.fromJavaOptions(sc.getConf().get("spark.executor.extraJavaOptions", null));
        return set != null ? set : "default (each executor's cores)";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("executor", "spark");
        info.put("master", sc.master());
        info.put("application_id", sc.sc().applicationId());
        info.put("spark_version", sc.version());
        info.put("partitions", partitions.getNumPartitions());
        info.put("shards", numShards);
        info.put("step_tasks", longRunningJobs > 0 ? "long-running" : "per-step");
        info.put("long_running_step_jobs", longRunningJobs);
        info.put("executors_that_did_work", workers.size());
        info.put("executor_ids", workers);
        return info;
    }
}
