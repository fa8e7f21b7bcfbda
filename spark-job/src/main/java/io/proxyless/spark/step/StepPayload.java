package io.proxyless.spark.step;

import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepRequest;

import java.io.Serializable;
import java.util.Map;

/**
 * What the driver broadcasts for one step: the request, the weights of the sampled path only (not
 * the supernet), the global batch as row numbers of a split, by shard, and the device to run on.
 */
public record StepPayload(StepRequest request, Map<String, float[]> weights, StepExecutor.Split split, ShardedBatch batch,
        ComputeDevice device) implements Serializable {

    /** Bytes of weights on the wire. */
    public long weightBytes() {
        return weights.values().stream().mapToLong(w -> 4L * w.length).sum();
    }
}
