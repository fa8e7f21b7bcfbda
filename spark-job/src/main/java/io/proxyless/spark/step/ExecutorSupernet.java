package io.proxyless.spark.step;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SpaceConfig;
import io.proxyless.nas.train.PathStepWorker;
import io.proxyless.nas.train.StepExecutor;
import io.proxyless.nas.train.StepResult;
import io.proxyless.spark.data.DataShard;
import org.apache.spark.SparkEnv;

/**
 * Executor side: one supernet per executor JVM, built on first use and reused by every task; each
 * task loads the broadcast path weights into it in place and computes its shard. Tasks of one JVM
 * take turns, as PyTorch allows one gradient collection per JVM.
 */
public final class ExecutorSupernet {

    private static SpaceConfig builtFor;
    private static PathStepWorker worker;

    private ExecutorSupernet() {}

    /** Computes one partition's share of a step. */
    public static synchronized StepResult compute(
            SpaceConfig space, float mean, float std, StepPayload payload, DataShard shard) {
        long start = System.nanoTime();
        ImageDataset data = payload.split() == StepExecutor.Split.WEIGHT ? shard.weightRows() : shard.archRows();
        int[] local = shard.localIndices(payload.rows());
        StepResult result;
        if (local.length == 0) {
            result = StepResult.empty();
        } else {
            PathStepWorker w = workerFor(space);
            w.supernet().load(payload.weights());
            result = w.compute(payload.request().forShard(shard.partition()),
                    data.images(local, mean, std), data.labels(local));
        }
        return result.withWorker(executorId(), System.nanoTime() - start);
    }

    private static PathStepWorker workerFor(SpaceConfig space) {
        if (worker == null || !space.equals(builtFor)) {
            if (worker != null) {
                worker.supernet().close();
            }
            worker = new PathStepWorker(Supernet.of(space));
            builtFor = space;
        }
        return worker;
    }

    private static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "local" : env.executorId();
    }
}
