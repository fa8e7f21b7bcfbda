package io.proxyless.spark.step.executor;

import io.proxyless.nas.child.ChildNetwork;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.nas.step.ShardSum;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.executor.PathStepWorker;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.step.EvaluationPayload;
import io.proxyless.spark.step.StepPayload;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executor side: one supernet per executor JVM, built on first use and reused by every task; each
 * task loads the step's path weights into it in place and computes the shards its partition holds,
 * one after another.
 *
 * <p>All of it runs on one thread per JVM, whichever Spark task asks. PyTorch allows one gradient
 * collection per JVM, so tasks had to take turns anyway; and libtorch's OpenMP gives every thread
 * that runs an operator its own pool of worker threads, so tasks on Spark's changing task threads
 * left a JVM with several pools competing for the same cores. Measured on 2 cores at batch 64, a
 * long-running task computed its shard 25% slower on its own thread than on this one
 * (docs/spark.md).
 */
public final class ExecutorSupernet {

    private static final ExecutorService TORCH = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "proxyless-torch");
        thread.setDaemon(true);
        // DJL finds its engine through the context class loader: the job jar's, not the JVM's.
        thread.setContextClassLoader(ExecutorSupernet.class.getClassLoader());
        return thread;
    });

    private static SpaceSpec builtFor;
    private static int builtClasses;
    private static ComputeDevice builtOn;
    private static PathStepWorker worker;

    private ExecutorSupernet() {}

    /**
     * Computes one partition's shards of a step.
     *
     * @param weightAugmentation applied to the rows when the step's are the weight split's, or {@code null}
     */
    public static ShardSum compute(SpaceSpec space, Normalization norm, Augmentation weightAugmentation,
            StepPayload payload, DataShard data) {
        Augmentation augmentation = payload.split() == StepExecutor.Split.WEIGHT ? weightAugmentation : null;
        ComputeDevice device = deviceOfThisTask(payload.device());
        return onTorchThread(() -> computeHere(space, device, norm, augmentation, payload, data));
    }

    /** Scores one partition's rows with the broadcast network, on this JVM's supernet. */
    public static Evaluation evaluate(SpaceSpec space, Normalization norm, EvaluationPayload payload,
            ImageDataset rows) {
        ComputeDevice device = deviceOfThisTask(payload.device());
        return onTorchThread(() -> evaluateHere(space, device, norm, payload, rows));
    }

    /** The configured device, or for a GPU the one Spark assigned to this task (read on the task's thread). */
    private static ComputeDevice deviceOfThisTask(ComputeDevice configured) {
        TaskContext task = TaskContext.get();
        ResourceInformation gpus = task == null ? null : task.resources().get("gpu").getOrElse(() -> null);
        return configured.forTask(gpus == null ? List.of() : Arrays.asList(gpus.addresses()));
    }

    private static <T> T onTorchThread(Callable<T> work) {
        // The task's class loader holds the jars Spark shipped (a space of one's own): the torch
        // thread builds the space with it.
        ClassLoader taskLoader = Thread.currentThread().getContextClassLoader();
        Future<T> result = TORCH.submit(() -> {
            Thread torch = Thread.currentThread();
            ClassLoader own = torch.getContextClassLoader();
            torch.setContextClassLoader(taskLoader);
            try {
                return work.call();
            } finally {
                torch.setContextClassLoader(own);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            // A killed task stops waiting; the computation in flight ends on its own and is dropped.
            Thread.currentThread().interrupt();
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.killTaskIfInterrupted();
            }
            throw new IllegalStateException("interrupted while waiting for the supernet", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static ShardSum computeHere(SpaceSpec space, ComputeDevice device, Normalization norm,
            Augmentation augmentation, StepPayload payload, DataShard data) {
        long start = System.nanoTime();
        ShardedBatch batch = payload.batch();
        if (batch.shards() != data.numShards()) {
            throw new IllegalStateException("a batch of " + batch.shards() + " shards for data cut into "
                    + data.numShards());
        }
        ShardSum sum = ShardSum.empty();
        int[] held = data.shards();
        if (held.length == 0) {
            return sum;
        }
        PathStepWorker w = workerFor(space, device);
        w.supernet().load(payload.weights());
        ImageDataset rows = data.rows(payload.split());
        StepResult first = null;
        for (int s : held) {
            int[] shardRows = batch.shard(s);
            int[] local = data.localIndices(payload.split(), shardRows);
            float[] images = rows.images(local, norm, augmentation, payload.request().randomSeed(), shardRows);
            StepResult result = w.compute(payload.request().forShard(s), images, rows.labels(local));
            first = first == null ? result : first;
            sum.merge(ShardSum.of(s, result));
        }
        // The task's whole time, on one of its shards: the step's slowest task is then the maximum.
        first.withWorker(executorId(), System.nanoTime() - start);
        return sum;
    }

    private static Evaluation evaluateHere(SpaceSpec space, ComputeDevice device, Normalization norm,
            EvaluationPayload payload, ImageDataset rows) {
        PathStepWorker w = workerFor(space, device);
        if (rows.size() == 0) {
            return new Evaluation(builtClasses);
        }
        ChildNetwork network = new ChildNetwork(w.supernet(), payload.child());
        network.load(payload.values());
        return network.evaluate(rows, norm, builtClasses);
    }

    private static PathStepWorker workerFor(SpaceSpec space, ComputeDevice device) {
        if (worker == null || !space.equals(builtFor) || !device.equals(builtOn)) {
            if (worker != null) {
                worker.supernet().close();
            }
            // Rebuilt from its class and parameters, by the task's class loader (which has --jars).
            SearchSpace built = space.create();
            worker = new PathStepWorker(Supernet.of(built, device));
            builtClasses = built.numClasses();
            builtFor = space;
            builtOn = device;
        }
        return worker;
    }

    private static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "local" : env.executorId();
    }
}
