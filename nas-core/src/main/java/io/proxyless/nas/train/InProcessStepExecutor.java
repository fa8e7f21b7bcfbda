package io.proxyless.nas.train;

import io.proxyless.nas.data.ImageDataset;

import java.util.Map;

/** Computes every step in this JVM with one {@link PathStepWorker}. */
public final class InProcessStepExecutor implements StepExecutor {

    private final PathStepWorker worker;
    private final ImageDataset weightSplit;
    private final ImageDataset archSplit;
    private final float mean;
    private final float std;

    public InProcessStepExecutor(
            PathStepWorker worker, ImageDataset weightSplit, ImageDataset archSplit, float mean, float std) {
        this.worker = worker;
        this.weightSplit = weightSplit;
        this.archSplit = archSplit;
        this.mean = mean;
        this.std = std;
    }

    @Override
    public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, int[] rows) {
        ImageDataset data = split == Split.WEIGHT ? weightSplit : archSplit;
        worker.supernet().load(weights);
        return worker.compute(request, data.images(rows, mean, std), data.labels(rows));
    }
}
