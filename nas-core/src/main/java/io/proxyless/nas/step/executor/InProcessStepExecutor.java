package io.proxyless.nas.step.executor;

import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.step.ShardSum;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;

import java.util.Map;

/** Computes every step in this JVM with one {@link PathStepWorker}, shard after shard. */
public final class InProcessStepExecutor implements StepExecutor {

    private final PathStepWorker worker;
    private final ImageDataset weightSplit;
    private final ImageDataset archSplit;
    private final Normalization norm;
    private final Augmentation augmentation;
    private final int shards;

    /** @param augmentation applied to the weight split's rows, or {@code null} */
    public InProcessStepExecutor(PathStepWorker worker, ImageDataset weightSplit, ImageDataset archSplit,
            Normalization norm, Augmentation augmentation, int shards) {
        this.worker = worker;
        this.weightSplit = weightSplit;
        this.archSplit = archSplit;
        this.norm = norm;
        this.augmentation = augmentation;
        this.shards = shards;
    }

    @Override
    public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, ShardedBatch batch) {
        ImageDataset data = split == Split.WEIGHT ? weightSplit : archSplit;
        Augmentation aug = split == Split.WEIGHT ? augmentation : null;
        worker.supernet().load(weights);
        ShardSum sum = ShardSum.empty();
        for (int s = 0; s < batch.shards(); s++) {
            int[] rows = batch.shard(s);
            float[] images = data.images(rows, norm, aug, request.randomSeed(), rows);
            sum.merge(ShardSum.of(s, worker.compute(request.forShard(s), images, data.labels(rows))));
        }
        return sum.total();
    }

    @Override
    public int shards() {
        return shards;
    }
}
