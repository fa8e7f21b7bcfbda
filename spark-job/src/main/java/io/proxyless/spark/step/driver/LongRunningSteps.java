package io.proxyless.spark.step.driver;

import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.nas.step.ShardSum;
import io.proxyless.nas.step.StepResult;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.step.StepPayload;
import io.proxyless.spark.step.TaskOrder;
import io.proxyless.spark.step.Wire;
import io.proxyless.spark.step.executor.StepTaskLoop;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Steps computed by one long-running Spark job: a task per partition with shards, each holding its
 * slot and its cached rows from step to step ({@link StepTaskLoop}), fed through the driver's RPC
 * endpoint ({@link StepEndpoint}). A step then costs the payload's encoding and two messages per
 * task, not a job's scheduling, a broadcast and its destruction.
 *
 * <p>Any other Spark job (an evaluation between epochs, a user's query) would wait for the slots these
 * tasks hold, so the first one that starts ends them after the step in flight; the next step starts a
 * new job. If a partition that owes a step has had no running task for a minute (its slot is gone,
 * or Spark counts it done after a stage was resubmitted), {@link #run} gives up with {@link
 * StepTasksLost} and the caller recomputes the step with a job of its own.
 */
final class LongRunningSteps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LongRunningSteps.class);

    /** How long a partition that owes the step may go without a running task before the step is given up. */
    private static final long ORPHAN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final JavaSparkContext sc;
    private final StepMailbox mailbox;
    private final RpcEnv rpcEnv;
    private final RpcEndpointRef endpoint;
    private final SparkListener otherJobs;
    private final JavaFutureAction<Void> job;
    private final int partitionsWithShards;
    private long sequence;

    private LongRunningSteps(JavaSparkContext sc, JavaRDD<DataShard> partitions, int partitionsWithShards,
            SpaceSpec space, Normalization norm, Augmentation augmentation, String description) {
        this.sc = sc;
        this.partitionsWithShards = partitionsWithShards;
        this.mailbox = new StepMailbox(partitionsWithShards);
        String name = "proxyless-steps-" + UUID.randomUUID();
        this.rpcEnv = SparkEnv.get().rpcEnv();
        this.endpoint = rpcEnv.setupEndpoint(name, new StepEndpoint(rpcEnv, mailbox));
        this.otherJobs = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                String marker = start.properties() == null ? null
                        : start.properties().getProperty(SparkStepExecutor.LONG_RUNNING_JOB);
                if (!name.equals(marker)) {
                    mailbox.stop();
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                mailbox.taskEnded(end.taskInfo().taskId());
            }
        };
        sc.sc().addSparkListener(otherJobs);
        String previousGroup = sc.getLocalProperty("spark.jobGroup.id");
        String previousDescription = sc.getLocalProperty("spark.job.description");
        String previousInterrupt = sc.getLocalProperty("spark.job.interruptOnCancel");
        try {
            // Interrupting on cancel frees a slot held by a task blocked in its wait for the next step.
            sc.setJobGroup(SparkStepExecutor.JOB_GROUP, description, true);
            sc.setLocalProperty(SparkStepExecutor.LONG_RUNNING_JOB, name);
            this.job = partitions.foreachPartitionAsync(rows -> StepTaskLoop.run(name, space, norm, augmentation, rows));
        } catch (RuntimeException e) {
            sc.sc().removeSparkListener(otherJobs);
            rpcEnv.stop(endpoint);
            throw e;
        } finally {
            sc.setLocalProperty(SparkStepExecutor.LONG_RUNNING_JOB, null);
            sc.setLocalProperty("spark.jobGroup.id", previousGroup);
            sc.setLocalProperty("spark.job.description", previousDescription);
            sc.setLocalProperty("spark.job.interruptOnCancel", previousInterrupt);
        }
    }

    /** Starts the job; its tasks join as the scheduler places them. */
    static LongRunningSteps start(JavaSparkContext sc, JavaRDD<DataShard> partitions, int partitionsWithShards,
            SpaceSpec space, Normalization norm, Augmentation augmentation, String description) {
        return new LongRunningSteps(sc, partitions, partitionsWithShards, space, norm, augmentation, description);
    }

    /** How many tasks the cluster can run at once now, with the default resource profile. */
    static int taskSlots(JavaSparkContext sc) {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }

    /** Whether these tasks were told to stop (another job started): the next step needs a new job. */
    boolean stopped() {
        return mailbox.stopping() || job.isDone();
    }

    StepResult run(StepPayload payload, StepTimings timings) {
        long t0 = System.nanoTime();
        long step = ++sequence;
        byte[] order = Wire.encode(new TaskOrder(step, payload));
        long t1 = System.nanoTime();
        mailbox.publish(step, order);
        ShardSum sum;
        try {
            while ((sum = mailbox.awaitResults(100)) == null) {
                if (job.isDone()) {
                    // The last result may have come in just before its task, and with it the job, ended.
                    sum = mailbox.awaitResults(0);
                    if (sum != null) {
                        break;
                    }
                    throw new IllegalStateException("the long-running step tasks ended before step " + step
                            + " was done", failure());
                }
                if (mailbox.longestOrphanedNanos() > ORPHAN_GRACE_NANOS) {
                    throw new StepTasksLost(mailbox.missing() + " of " + partitionsWithShards + " partitions owe step "
                            + step + " and one has had no running task for "
                            + TimeUnit.NANOSECONDS.toSeconds(ORPHAN_GRACE_NANOS) + " s (the cluster has "
                            + taskSlots(sc) + " task slots)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for step " + step, e);
        }
        long t2 = System.nanoTime();
        StepResult result = sum.total();
        timings.add(t1 - t0, result.maxComputeNanos(), (t2 - t1) - result.maxComputeNanos(), 0, payload.weightBytes(),
                result.payloadBytes());
        return result;
    }

    private Throwable failure() {
        try {
            job.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Kills the tasks now, whatever they are doing, and closes. */
    void cancel() {
        mailbox.stop();
        job.cancel(true);
        close();
    }

    /** Ends the tasks (at once if they wait, after their step if they compute) and the endpoint. */
    @Override
    public void close() {
        mailbox.stop();
        try {
            job.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("the long-running step tasks did not end within 30 s of being told to; cancelling them");
            job.cancel(true);
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            LOG.debug("the long-running step job ended with {}", e.toString());
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
        } finally {
            sc.sc().removeSparkListener(otherJobs);
            rpcEnv.stop(endpoint);
        }
    }
}
