package io.proxyless.nas.train;

import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.PolicyGradient;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.export.ArchitectureExport;
import io.proxyless.nas.optim.LearningRateSchedule;
import io.proxyless.nas.random.RandomStreams;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ProxylessNAS loop. Per batch of the weight split: sample a path from p, compute gradients, SGD
 * on the path; after the warmup epochs, after every {@code arch_update_frequency}-th batch of an
 * epoch (the authors count {@code (i + 1) % N} within each epoch): sample as the binary mode says,
 * compute gate gradients on a batch of the architecture split with plain cross-entropy (the authors'
 * architecture loss), Adam on alpha. Driver-side only: the {@link StepExecutor} computes,
 * {@link SupernetMaster} updates. Every random draw comes from {@link RandomStreams} indexed by the
 * step's counters: the same seed and thread count give the same run.
 */
public final class SearchLoop {

    private final TrainerConfig config;
    private final SupernetMaster master;
    private final StepExecutor executor;
    private final ArchitectureLoss architectureLoss;
    private final SearchListener listener;
    private final BatchPlan weightBatches;
    private final BatchPlan archBatches;
    private final ChildArchitecture fixed;

    public SearchLoop(
            TrainerConfig config,
            SupernetMaster master,
            StepExecutor executor,
            ArchitectureLoss architectureLoss,
            SearchListener listener,
            int weightSplitSize,
            int archSplitSize) {
        this(config, master, executor, architectureLoss, listener, weightSplitSize, archSplitSize, null);
    }

    private SearchLoop(
            TrainerConfig config,
            SupernetMaster master,
            StepExecutor executor,
            ArchitectureLoss architectureLoss,
            SearchListener listener,
            int weightSplitSize,
            int archSplitSize,
            ChildArchitecture fixed) {
        if (fixed == null && architectureLoss instanceof ReinforceReward) {
            // Refused before the warmup, not at the first architecture step after it.
            master.choices().forEach((label, choice) -> {
                if (choice.numChosen() > 1) {
                    throw new IllegalArgumentException(TrainerConfig.option("algorithm") + " reinforce samples one"
                            + " candidate per choice, but '" + label + "' picks " + choice.numChosen()
                            + " (n_chosen); search it with algorithm gradient");
                }
            });
        }
        this.fixed = fixed;
        this.config = config;
        this.master = master;
        this.executor = executor;
        this.architectureLoss = architectureLoss;
        this.listener = listener;
        int batch = config.batchSize();
        this.weightBatches = new BatchPlan(weightSplitSize, batch, executor.shards(), config.seed(),
                RandomStreams.Purpose.WEIGHT_BATCHES, "weight");
        // REINFORCE scores each sampled network on a batch of its own size (the authors' 1,000 images);
        // a split smaller than that is scored whole.
        int archBatch = architectureLoss instanceof ReinforceReward
                ? Math.min(config.reinforceBatchSize(), archSplitSize / executor.shards() * executor.shards()) : batch;
        this.archBatches = fixed != null ? null : new BatchPlan(archSplitSize, archBatch, executor.shards(),
                config.seed(), RandomStreams.Purpose.ARCHITECTURE_BATCHES, "architecture");
    }

    /**
     * The same loop training one child network from scratch: every weight step runs the child's
     * fixed path, and no architecture step is taken. A retrain is a search whose path cannot move.
     */
    public static SearchLoop retraining(TrainerConfig config, SupernetMaster master, StepExecutor executor,
            SearchListener listener, int trainSize, ChildArchitecture child) {
        return new SearchLoop(config, master, executor, null, listener, trainSize, 0, child);
    }

    /** Called after every step with the position to resume from, so that a caller can checkpoint it. */
    @FunctionalInterface
    public interface StepListener {
        StepListener NONE = (next, epochEnd) -> { };

        void afterStep(LoopPosition next, boolean epochEnd) throws IOException;
    }

    public void run() throws IOException {
        run(LoopPosition.START, StepListener.NONE);
    }

    /** Runs from {@code from} (a position an earlier run reached) to the end; returns the end position. */
    public LoopPosition run(LoopPosition from, StepListener steps) throws IOException {
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
                DivergenceException.check(result, StepKind.WEIGHT, epoch, step + 1);
                master.applyWeightStep(result, (float) lr);
                DivergenceException.checkUpdate(master, result, StepKind.WEIGHT, epoch, step + 1);
                weightMeter.add(result, System.nanoTime() - start);
                if (fixed == null && progress.hasArchitectureStep(epoch, b)) {
                    executor.announce(describe(epoch, step + 1, batchesPerEpoch, "architecture step"));
                    latency = architectureLoss instanceof ReinforceReward reinforce
                            ? reinforceStep(reinforce, sampler, archSteps, step, epoch, archMeter)
                            : architectureStep(sampler, archSteps, step, epoch, archMeter);
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
                steps.afterStep(position, epochEnd);
                progress.add(epoch, b, System.nanoTime() - iterationStart);
            }
        }
        return position;
    }

    private String describe(int epoch, long step, int batchesPerEpoch, String phase) {
        return (fixed == null ? "search" : "retrain") + " epoch " + (epoch + 1) + "/" + config.numEpochs() + " step " + step + "/"
                + (long) batchesPerEpoch * config.numEpochs() + ": " + phase;
    }

    /** The {@code archStep}-th architecture step, taken after weight step {@code step}. */
    private double architectureStep(PathSampler sampler, long archStep, long step, int epoch, PhaseMeter meter) {
        long seed = config.seed();
        SampledPath path = sampler.sampleForArchitecture(master.architecture(), master.choices(),
                RandomStreams.of(seed, RandomStreams.Purpose.ARCHITECTURE_PATHS, archStep));
        ShardedBatch rows = archBatches.batch(archStep);
        long start = System.nanoTime();
        StepResult result = executor.execute(
                new StepRequest(StepKind.ARCHITECTURE, path, rows.size(), 0f,
                        RandomStreams.derive(seed, RandomStreams.Purpose.ENGINE, step, 1)),
                master.weightsFor(path, StepKind.ARCHITECTURE), StepExecutor.Split.ARCHITECTURE, rows);
        DivergenceException.check(result, StepKind.ARCHITECTURE, epoch, step + 1);
        ArchitectureLoss.Terms terms = architectureLoss.evaluate(master.architecture(), path, result.meanLoss());
        master.applyArchitectureStep(result, path, terms.crossEntropyScale(), terms.alphaGradients());
        DivergenceException.checkUpdate(master, result, StepKind.ARCHITECTURE, epoch, step + 1);
        architectureLoss.afterStep(master.architecture());
        meter.add(result, System.nanoTime() - start);
        return architectureLoss.expectedLatency(master.architecture());
    }

    /**
     * The {@code archStep}-th REINFORCE step: networks sampled from p, each scored on the step's
     * architecture-split batch (a forward pass on the executors, no gradient), then the policy
     * gradient on alpha.
     */
    private double reinforceStep(ReinforceReward reinforce, PathSampler sampler, long archStep, long step, int epoch,
            PhaseMeter meter) {
        long seed = config.seed();
        ShardedBatch rows = archBatches.batch(archStep);
        List<PolicyGradient.Sample> samples = new ArrayList<>();
        for (int k = 0; k < reinforce.samples(); k++) {
            SampledPath path = sampler.sampleForWeights(master.architecture(), master.choices(),
                    RandomStreams.of(seed, RandomStreams.Purpose.ARCHITECTURE_PATHS, archStep, k));
            long start = System.nanoTime();
            StepResult result = executor.execute(
                    new StepRequest(StepKind.ARCHITECTURE, path, rows.size(), 0f,
                            RandomStreams.derive(seed, RandomStreams.Purpose.ENGINE, step, 2 + k)),
                    master.weightsFor(path, StepKind.ARCHITECTURE), StepExecutor.Split.ARCHITECTURE, rows);
            DivergenceException.check(result, StepKind.ARCHITECTURE, epoch, step + 1);
            meter.add(result, System.nanoTime() - start);
            samples.add(new PolicyGradient.Sample(path, reinforce.reward(result.accuracy(), names(path))));
        }
        master.applyPolicyGradient(reinforce.step(master.architecture(), samples));
        return reinforce.expectedLatency(master.architecture());
    }

    /** The candidates a path runs, by name. */
    private Map<String, List<String>> names(SampledPath path) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        master.choices().forEach((label, choice) -> {
            List<String> chosen = new ArrayList<>();
            for (int i : path.routing(label).active()) {
                chosen.add(choice.candidateNames().get(i));
            }
            names.put(label, chosen);
        });
        return names;
    }

    private void report(int epoch, long step, long totalSteps, String phase, PhaseMeter meter, double lr, double latency,
            double secondsLeft) throws IOException {
        if (meter.isEmpty()) {
            return;
        }
        listener.onReport(new StepReport(
                epoch, step, totalSteps, phase, meter.loss(), meter.accuracy(), lr, meter.imagesPerSecond(),
                fixed != null ? fixed.chosen() : master.architecture().chosen(), latency, secondsLeft,
                fixed != null ? Map.of() : ArchitectureExport.probabilities(master.architecture())));
        meter.reset();
    }
}
