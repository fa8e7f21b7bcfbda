package io.proxyless.nas.train;

import io.proxyless.nas.algorithm.ArchitectureBatch;
import io.proxyless.nas.algorithm.SearchAlgorithm;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.listener.StepReport;
import io.proxyless.nas.listener.TrainingListener;
import io.proxyless.nas.listener.TrainingListeners;
import io.proxyless.nas.optim.LearningRateSchedule;
import io.proxyless.nas.random.RandomStreams;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The ProxylessNAS loop. Per batch of the weight split: sample a path from p, compute gradients, SGD
 * on the path; after the warmup epochs, after every {@code arch_update_frequency}-th batch of an
 * epoch (the authors count {@code (i + 1) % N} within each epoch): an architecture step of the
 * {@link SearchAlgorithm} on a batch of the architecture split. Driver-side only: the
 * {@link StepExecutor} computes, {@link SupernetMaster} updates. Every random draw comes from {@link RandomStreams} indexed by the
 * step's counters: the same seed and thread count give the same run.
 */
public final class SearchLoop {

    private final TrainerConfig config;
    private final SupernetMaster master;
    private final StepExecutor executor;
    private final SearchAlgorithm algorithm;
    private final TrainingListener listeners;
    private final BatchPlan weightBatches;
    private final BatchPlan archBatches;
    private final ChildArchitecture fixed;

    public SearchLoop(
            TrainerConfig config,
            SupernetMaster master,
            StepExecutor executor,
            SearchAlgorithm algorithm,
            List<TrainingListener> listeners,
            int weightSplitSize,
            int archSplitSize) {
        this(config, master, executor, algorithm, listeners, weightSplitSize, archSplitSize, null);
    }

    private SearchLoop(
            TrainerConfig config,
            SupernetMaster master,
            StepExecutor executor,
            SearchAlgorithm algorithm,
            List<TrainingListener> listeners,
            int weightSplitSize,
            int archSplitSize,
            ChildArchitecture fixed) {
        if (algorithm != null) {
            // Refused before the warmup, not at the first architecture step after it.
            algorithm.checkChoices(master.choices());
        }
        this.fixed = fixed;
        this.config = config;
        this.master = master;
        this.executor = executor;
        this.algorithm = algorithm;
        this.listeners = new TrainingListeners(listeners);
        int batch = config.batchSize();
        this.weightBatches = new BatchPlan(weightSplitSize, batch, executor.shards(), config.seed(),
                RandomStreams.Purpose.WEIGHT_BATCHES, "weight");
        this.archBatches = fixed != null ? null : new BatchPlan(archSplitSize,
                algorithm.architectureBatchSize(batch, archSplitSize, executor.shards()), executor.shards(),
                config.seed(), RandomStreams.Purpose.ARCHITECTURE_BATCHES, "architecture");
    }

    /**
     * The same loop training one child network from scratch: every weight step runs the child's
     * fixed path, and no architecture step is taken. A retrain is a search whose path cannot move.
     */
    public static SearchLoop retraining(TrainerConfig config, SupernetMaster master, StepExecutor executor,
            List<TrainingListener> listeners, int trainSize, ChildArchitecture child) {
        return new SearchLoop(config, master, executor, null, listeners, trainSize, 0, child);
    }

    public void run() throws IOException {
        run(LoopPosition.START);
    }

    /** Runs from {@code from} (a position an earlier run reached) to the end; returns the end position. */
    public LoopPosition run(LoopPosition from) throws IOException {
        long seed = config.seed();
        int batchesPerEpoch = weightBatches.batchesPerPass();
        LearningRateSchedule schedule = new LearningRateSchedule(
                config.optimizer().learningRate(), config.optimizer().warmupLearningRate(),
                config.warmupEpochs(), config.numEpochs(), batchesPerEpoch);
        PathSampler sampler = new PathSampler(config.binaryMode());
        PhaseMeter weightMeter = new PhaseMeter();
        PhaseMeter archMeter = new PhaseMeter();
        weightMeter.restore(from.weight());
        archMeter.restore(from.arch());
        double latency = from.latency();
        long step = from.step();
        long archSteps = from.archSteps();
        LoopPosition position = from;
        // A retrain's every epoch is weight-only, as warmup epochs are.
        Progress progress = new Progress(config.numEpochs(), fixed != null ? config.numEpochs() : config.warmupEpochs(),
                batchesPerEpoch,
                config.archUpdateFrequency());
        for (int epoch = from.epoch(); epoch < config.numEpochs(); epoch++) {
            for (int b = epoch == from.epoch() ? from.batch() : 0; b < batchesPerEpoch; b++) {
                long iterationStart = System.nanoTime();
                double lr = schedule.at(epoch, b);
                SampledPath path = fixed != null ? fixed.path()
                        : sampler.sampleForWeights(master.architecture(), master.choices(),
                                RandomStreams.of(seed, RandomStreams.Purpose.WEIGHT_PATHS, step));
                long start = System.nanoTime();
                executor.announce(describe(epoch, step + 1, batchesPerEpoch, "weight step"));
                StepResult result = executor.execute(
                        new StepRequest(StepKind.WEIGHT, path, config.batchSize(), config.labelSmoothing(),
                                RandomStreams.derive(seed, RandomStreams.Purpose.ENGINE, step, 0)),
                        master.weightsFor(path, StepKind.WEIGHT), StepExecutor.Split.WEIGHT, weightBatches.batch(epoch, b));
                listeners.onResult(StepKind.WEIGHT, result, epoch, step + 1);
                master.applyWeightStep(result, (float) lr);
                listeners.onUpdate(master, StepKind.WEIGHT, result, epoch, step + 1);
                weightMeter.add(result, System.nanoTime() - start);
                if (fixed == null && progress.hasArchitectureStep(epoch, b)) {
                    executor.announce(describe(epoch, step + 1, batchesPerEpoch, "architecture step"));
                    latency = algorithm.step(master, archSteps, architectureBatch(archSteps, step, epoch, archMeter));
                    archSteps++;
                }
                step++;
                boolean epochEnd = b == batchesPerEpoch - 1;
                if (step % config.logFrequency() == 0 || epochEnd) {
                    double eta = progress.secondsLeft(epoch, b);
                    report(epoch, step, progress.totalSteps(), "weight", weightMeter, lr, latency, eta);
                    report(epoch, step, progress.totalSteps(), "arch", archMeter, lr, latency, eta);
                }
                position = new LoopPosition(epochEnd ? epoch + 1 : epoch, epochEnd ? 0 : b + 1, step, archSteps, latency,
                        weightMeter.sums(), archMeter.sums());
                listeners.afterStep(position, epochEnd);
                progress.add(epoch, b, System.nanoTime() - iterationStart);
            }
        }
        return position;
    }

    private String describe(int epoch, long step, int batchesPerEpoch, String phase) {
        return (fixed == null ? "search" : "retrain") + " epoch " + (epoch + 1) + "/" + config.numEpochs() + " step " + step + "/"
                + (long) batchesPerEpoch * config.numEpochs() + ": " + phase;
    }

    /** The {@code archStep}-th architecture step's batch, taken after weight step {@code step}. */
    private ArchitectureBatch architectureBatch(long archStep, long step, int epoch, PhaseMeter meter) {
        ShardedBatch rows = archBatches.batch(archStep);
        long seed = config.seed();
        return new ArchitectureBatch() {
            @Override
            public StepResult run(SampledPath path, int draw) {
                long start = System.nanoTime();
                StepResult result = executor.execute(
                        new StepRequest(StepKind.ARCHITECTURE, path, rows.size(), 0f,
                                RandomStreams.derive(seed, RandomStreams.Purpose.ENGINE, step, draw)),
                        master.weightsFor(path, StepKind.ARCHITECTURE), StepExecutor.Split.ARCHITECTURE, rows);
                listeners.onResult(StepKind.ARCHITECTURE, result, epoch, step + 1);
                meter.add(result, System.nanoTime() - start);
                return result;
            }

            @Override
            public void checkUpdate(SupernetMaster updated, StepResult result) {
                listeners.onUpdate(updated, StepKind.ARCHITECTURE, result, epoch, step + 1);
            }
        };
    }

    private void report(int epoch, long step, long totalSteps, String phase, PhaseMeter meter, double lr, double latency,
            double secondsLeft) throws IOException {
        if (meter.isEmpty()) {
            return;
        }
        listeners.onReport(new StepReport(
                epoch, step, totalSteps, phase, meter.loss(), meter.accuracy(), lr, meter.imagesPerSecond(),
                fixed != null ? fixed.chosen() : master.architecture().chosen(), latency, secondsLeft,
                fixed != null ? Map.of() : ArchitectureExport.probabilities(master.architecture())));
        meter.reset();
    }
}
