package io.proxyless.spark.step.executor;

import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.nas.step.ShardSum;
import io.proxyless.spark.data.DataShard;
import io.proxyless.spark.step.StepPayload;
import io.proxyless.spark.step.TaskOrder;
import io.proxyless.spark.step.TaskReport;
import io.proxyless.spark.step.Wire;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.RpcUtils;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The body of a long-running step task: it reads its cached partition once, then asks the driver
 * for a step, computes the shards it holds, and answers with their sum in the same message that asks
 * for the next step, until told to stop. One scheduler round trip per search instead of one per
 * step; a failed or killed task is retried by Spark and rejoins, and the driver gives it the step it
 * owes.
 */
public final class StepTaskLoop {

    /** How long one ask waits for the next step before asking again (a checkpoint may be written meanwhile). */
    private static final RpcTimeout WAIT = new RpcTimeout(FiniteDuration.apply(60, TimeUnit.SECONDS),
            "proxyless step wait");

    @SuppressWarnings("unchecked")
    private static final ClassTag<byte[]> BYTES = (ClassTag<byte[]>) (ClassTag<?>) ClassTag$.MODULE$.apply(byte[].class);

    private StepTaskLoop() {}

    /**
     * @param endpoint the name of the driver's endpoint for this search
     * @param weightAugmentation applied to the weight split's rows, or {@code null}
     */
    public static void run(String endpoint, SpaceSpec space, Normalization norm, Augmentation weightAugmentation,
            Iterator<DataShard> partition) throws Exception {
        List<DataShard> data = new ArrayList<>();
        partition.forEachRemaining(data::add);
        if (data.stream().allMatch(d -> d.shards().length == 0)) {
            return;
        }
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        RpcEndpointRef driver = RpcUtils.makeDriverRef(endpoint, env.conf(), env.rpcEnv());
        TaskReport report = TaskReport.ready(task.partitionId(), task.taskAttemptId(), -1);
        while (true) {
            task.killTaskIfInterrupted();
            TaskOrder order;
            try {
                order = Wire.decode(driver.askSync(Wire.encode(report), WAIT, BYTES), TaskOrder.class);
            } catch (Exception e) {
                if (e instanceof TimeoutException) {
                    continue;
                }
                throw e;
            }
            if (order.isStop()) {
                return;
            }
            StepPayload payload = order.payload();
            ShardSum sum = ShardSum.empty();
            for (DataShard shard : data) {
                sum.merge(ExecutorSupernet.compute(space, norm, weightAugmentation, payload, shard));
            }
            report = new TaskReport(task.partitionId(), task.taskAttemptId(), order.sequence(), sum);
        }
    }
}
