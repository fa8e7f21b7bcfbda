package io.proxyless.nas.train;

import io.proxyless.nas.data.ImageDataset;

import java.util.Map;

/** Computes every step in this JVM with one {@link PathStepWorker}, shard after shard. */
public final class InProcessStepExecutor implements StepExecutor {

    private final PathStepWorker worker;
    private final ImageDataset weightSplit;
    private final ImageDataset archSplit;
    private final float mean;
    private final float std;
    private final int shards;

    public InProcessStepExecutor(
            PathStepWorker worker, ImageDataset weightSplit, ImageDataset archSplit, float mean, float std, int shards) {
        this.worker = worker;
        this.weightSplit = weightSplit;
        this.archSplit = archSplit;
        this.mean = mean;
        this.std = std;
        this.shards = shards;
    }

    @Override
    public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, ShardedBatch batch) {
        ImageDataset data = split == Split.WEIGHT ? weightSplit : archSplit;
        worker.supernet().load(weights);
        ShardSum sum = ShardSum.empty();
        for (int s = 0; s < batch.shards(); s++) {
            int[] rows = batch.shard(s);
            sum.merge(ShardSum.of(s, worker.compute(request.forShard(s), data.images(rows, mean, std), data.labels(rows))));
        }
        return sum.total();
    }

    @Override
    public int shards() {
        return shards;
    }
}
