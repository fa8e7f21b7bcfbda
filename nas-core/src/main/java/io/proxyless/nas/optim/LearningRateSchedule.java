package io.proxyless.nas.optim;

/**
 * Per-batch cosine annealing, as the authors schedule it: warmup epochs anneal from the warmup rate
 * over the warmup batches, then the search epochs anneal from the main rate over theirs.
 */
public final class LearningRateSchedule {

    private final double learningRate;
    private final double warmupLearningRate;
    private final int warmupEpochs;
    private final int totalEpochs;
    private final int batchesPerEpoch;

    public LearningRateSchedule(
            double learningRate, double warmupLearningRate, int warmupEpochs, int totalEpochs, int batchesPerEpoch) {
        this.learningRate = learningRate;
        this.warmupLearningRate = warmupLearningRate;
        this.warmupEpochs = warmupEpochs;
        this.totalEpochs = totalEpochs;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    /** The rate at this epoch (0-based, counting warmup) and batch within it. */
    public double at(int epoch, int batch) {
        if (epoch < warmupEpochs) {
            return cosine(warmupLearningRate, epoch * batchesPerEpoch + batch, warmupEpochs * batchesPerEpoch);
        }
        int searchEpochs = totalEpochs - warmupEpochs;
        return cosine(learningRate, (epoch - warmupEpochs) * batchesPerEpoch + batch, searchEpochs * batchesPerEpoch);
    }

    private static double cosine(double base, long current, long total) {
        return 0.5 * base * (1 + Math.cos(Math.PI * current / Math.max(1, total)));
    }
}
