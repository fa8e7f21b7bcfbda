package io.proxyless.nas.train;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.export.ArchitectureExport;
import io.proxyless.nas.optim.LearningRateSchedule;

import java.io.IOException;
import java.util.Random;

/**
 * The ProxylessNAS loop. Per batch of the weight split: sample a path, compute gradients, SGD on the
 * path; every {@code arch_update_frequency} batches after warmup: sample again, compute gate
 * gradients on a batch of the architecture split, Adam on alpha. Driver-side only: the
 * {@link StepExecutor} computes, {@link SupernetMaster} updates. Seeded: the same seed and thread
 * count give the same run.
 */
public final class SearchLoop {

    private final TrainerConfig config;
    private final SupernetMaster master;
    private final StepExecutor executor;
    private final ArchitectureLoss architectureLoss;
    private final SearchListener listener;
    private final int weightSplitSize;
    private final int archSplitSize;

    public SearchLoop(
            TrainerConfig config,
            SupernetMaster master,
            StepExecutor executor,
            ArchitectureLoss architectureLoss,
            SearchListener listener,
            int weightSplitSize,
            int archSplitSize) {
        this.config = config;
        this.master = master;
        this.executor = executor;
        this.architectureLoss = architectureLoss;
        this.listener = listener;
        this.weightSplitSize = weightSplitSize;
        this.archSplitSize = archSplitSize;
        int batch = config.batchSize();
        if (weightSplitSize < batch || archSplitSize < batch) {
            throw new IllegalArgumentException(TrainerConfig.option("batch_size") + " " + batch
                    + " is larger than a split (weight " + weightSplitSize + ", architecture " + archSplitSize
                    + " images); lower it or use more data");
        }
    }

    public void run() throws IOException {
        int batch = config.batchSize();
        int batchesPerEpoch = weightSplitSize / batch;
        LearningRateSchedule schedule = new LearningRateSchedule(
                config.optimizer().learningRate(), config.optimizer().warmupLearningRate(),
                config.warmupEpochs(), config.numEpochs(), batchesPerEpoch);
        PathSampler sampler = new PathSampler(config.binaryMode());
        Random pathRandom = new Random(config.seed() ^ 0x5DEECE66DL);
        BatchOrder archOrder = new BatchOrder(archSplitSize, batch, config.seed() + 1);
        PhaseMeter weightMeter = new PhaseMeter();
        PhaseMeter archMeter = new PhaseMeter();
        double latency = Double.NaN;
        long step = 0;
        for (int epoch = 0; epoch < config.numEpochs(); epoch++) {
            int[] order = BatchOrder.permutation(weightSplitSize, new Random(config.seed() * 31 + epoch));
            for (int b = 0; b < batchesPerEpoch; b++) {
                double lr = schedule.at(epoch, b);
                int[] rows = java.util.Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                SampledPath path = sampler.sample(master.architecture(), master.choices(), pathRandom);
                long start = System.nanoTime();
                StepResult result = executor.execute(
                        new StepRequest(StepKind.WEIGHT, path, batch, config.labelSmoothing(), config.seed() * 7919 + 2 * step),
                        master.weightsFor(path, StepKind.WEIGHT), StepExecutor.Split.WEIGHT, rows);
                master.applyWeightStep(result, (float) lr);
                weightMeter.add(result, System.nanoTime() - start);
                step++;
                if (epoch >= config.warmupEpochs() && step % config.archUpdateFrequency() == 0) {
                    latency = architectureStep(sampler, pathRandom, archOrder.next(), archMeter, step);
                }
                if (step % config.logFrequency() == 0 || b == batchesPerEpoch - 1) {
                    report(epoch, step, "weight", weightMeter, lr, latency);
                    report(epoch, step, "arch", archMeter, lr, latency);
                }
            }
        }
    }

    private double architectureStep(PathSampler sampler, Random random, int[] rows, PhaseMeter meter, long step) {
        SampledPath path = sampler.sample(master.architecture(), master.choices(), random);
        long start = System.nanoTime();
        StepResult result = executor.execute(
                new StepRequest(StepKind.ARCHITECTURE, path, rows.length, config.labelSmoothing(),
                        config.seed() * 7919 + 2 * step + 1),
                master.weightsFor(path, StepKind.ARCHITECTURE), StepExecutor.Split.ARCHITECTURE, rows);
        ArchitectureLoss.Terms terms = architectureLoss.evaluate(master.architecture(), result.meanLoss());
        master.applyArchitectureStep(result, path, terms.crossEntropyScale(), terms.alphaGradients());
        meter.add(result, System.nanoTime() - start);
        return terms.expectedLatency();
    }

    private void report(int epoch, long step, String phase, PhaseMeter meter, double lr, double latency)
            throws IOException {
        if (meter.isEmpty()) {
            return;
        }
        listener.onReport(new StepReport(
                epoch, step, phase, meter.loss(), meter.accuracy(), lr, meter.imagesPerSecond(),
                ArchitectureExport.chosen(master.architecture()), latency));
        meter.reset();
    }
}
