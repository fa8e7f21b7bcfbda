package io.proxyless.nas.step;

import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.random.RandomStreams;

import java.io.Serializable;

/**
 * What a worker needs to compute one step's gradients, apart from the weights and the data.
 *
 * @param kind weight or architecture step
 * @param path the sampled path
 * @param globalBatchSize the size of the whole step's batch; each worker divides its loss sum by it,
 *     so that gradients summed over workers are the gradient of the mean loss
 * @param labelSmoothing the cross-entropy label smoothing
 * @param randomSeed seeds libtorch's generator (dropout) for this step; a shard mixes in its index,
 *     so a retried task draws the same numbers, whichever partition computes the shard
 */
public record StepRequest(StepKind kind, SampledPath path, int globalBatchSize, float labelSmoothing, long randomSeed)
        implements Serializable {

    /** The same request with the seed of one shard of the batch. */
    public StepRequest forShard(int shard) {
        return new StepRequest(kind, path, globalBatchSize, labelSmoothing,
                RandomStreams.derive(randomSeed, RandomStreams.Purpose.ENGINE, shard));
    }
}
