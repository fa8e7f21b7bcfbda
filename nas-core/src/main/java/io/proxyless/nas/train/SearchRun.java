package io.proxyless.nas.train;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.checkpoint.Resumption;
import io.proxyless.nas.checkpoint.SearchCheckpoint;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.FileSource;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.StratifiedSplit;
import io.proxyless.nas.export.ArchitectureExport;
import io.proxyless.nas.export.LatencyBudget;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.latency.HardwareResolver;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.optim.AdamOptimizer;
import io.proxyless.nas.optim.SgdOptimizer;
import io.proxyless.nas.space.SpaceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One search from configuration to exported architecture: loads and splits the data, builds the
 * supernet and the master state (or restores it from a checkpoint), runs the loop with the given
 * executor, writes {@code metrics.jsonl} and checkpoints as it goes, then {@code architecture.json},
 * {@code architecture-probs.json}, {@code run.json} and, last, {@code _SUCCESS}. A failure leaves
 * no {@code _SUCCESS}.
 */
public final class SearchRun {

    private static final Logger LOG = LoggerFactory.getLogger(SearchRun.class);

    /** Creates the executor that computes the steps. */
    @FunctionalInterface
    public interface ExecutorFactory {
        StepExecutor create(Supernet supernet, ImageDataset weightSplit, ImageDataset archSplit) throws IOException;

        /** {@link #create} for lambdas that cannot throw. */
        default StepExecutor createUnchecked(Supernet supernet, ImageDataset weightSplit, ImageDataset archSplit) {
            try {
                return create(supernet, weightSplit, archSplit);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The in-process executor. */
    public static ExecutorFactory inProcess(TrainerConfig config) {
        return (supernet, weightSplit, archSplit) -> new InProcessStepExecutor(new PathStepWorker(supernet),
                weightSplit, archSplit, config.dataset().mean(), config.dataset().std(), Math.max(1, config.shards()));
    }

    private SearchRun() {}

    /** Runs a search without a latency term and returns the final architecture parameters. */
    public static ArchitectureParameters run(
            TrainerConfig config, FileSource data, OutputFolder output, ExecutorFactory executors) throws IOException {
        if (config.appliedHardware() != null) {
            throw new IllegalArgumentException(TrainerConfig.option("applied_hardware")
                    + " needs the space's latency costs: call run(..., latency)");
        }
        return run(config, data, output, executors, null);
    }

    /** {@link #run(TrainerConfig, FileSource, OutputFolder, ExecutorFactory, SpaceLatency, boolean)}, not resuming. */
    public static ArchitectureParameters run(TrainerConfig config, FileSource data, OutputFolder output,
            ExecutorFactory executors, SpaceLatency latency) throws IOException {
        return run(config, data, output, executors, latency, false);
    }

    /**
     * Runs the search, with the latency term of {@code grad_reg_loss_type} over {@code latency} when
     * it is not {@code null}, and returns the final architecture parameters. Checkpoints go to
     * {@code output/checkpoints} every {@code checkpoint_every} steps, at each epoch end and at the end.
     *
     * @param resume continue from the newest valid checkpoint in {@code output}; without it, an output
     *     that holds a partial search is refused
     */
    public static ArchitectureParameters run(TrainerConfig config, FileSource data, OutputFolder output,
            ExecutorFactory executors, SpaceLatency latency, boolean resume) throws IOException {
        Resumption resumption = Resumption.of(output, resume);
        if (config.targetLatency() != null && latency != null) {
            // Refused now rather than after hours of search.
            LatencyBudget.checkFeasible(latency, config.targetLatency());
        }
        SpaceConfig space = config.model();
        ImageDataset[] splits = loadSplits(config, data);
        Map<String, String> dataPrint = SearchCheckpoint.dataFingerprint(data.describe(""), splits[0], splits[1]);
        try (Supernet supernet = Supernet.of(space);
                StepExecutor executor = executors.create(supernet, splits[0], splits[1])) {
            SupernetMaster master = newMaster(config, supernet);
            LoopPosition start = resumption.start(master, SearchCheckpoint.configFingerprint(config), dataPrint);
            LOG.info("search: {} weight / {} architecture images, {} cells, {} epochs of {} batches, {} shards{}",
                    splits[0].size(), splits[1].size(), supernet.choices().size(), config.numEpochs(),
                    splits[0].size() / config.batchSize(), executor.shards(),
                    start.step() > 0 ? ", resuming after step " + start.step() : "");
            try (MetricsLog metrics = new MetricsLog(resumption.openMetrics(), config.numEpochs(), latency)) {
                SearchLoop loop = new SearchLoop(config, master, executor, HardwareResolver.loss(config, latency), metrics,
                        splits[0].size(), splits[1].size());
                // The last step ends an epoch, so the final state is always the newest checkpoint.
                loop.run(start, (next, epochEnd) -> {
                    if (epochEnd || next.step() % config.checkpointEvery() == 0) {
                        resumption.save(master, next);
                    }
                });
            }
            ArchitectureParameters arch = master.architecture();
            Map<String, List<String>> exported = ArchitectureExport.chosen(arch);
            Map<String, Object> exportInfo = new LinkedHashMap<>();
            if (latency != null) {
                if (config.targetLatency() != null) {
                    LatencyBudget.Choice choice = LatencyBudget.best(arch, latency, config.targetLatency());
                    exported = choice.architecture();
                    exportInfo.put("target_latency", config.targetLatency());
                }
                exportInfo.put("exported_latency", latency.of(exported, "the exported network"));
                exportInfo.put("latency_unit", latency.unit());
                exportInfo.put("applied_hardware", latency.hardware());
            }
            output.write(ArchitectureExport.ARCHITECTURE,
                    ArchitectureExport.architectureJson(exported).getBytes(StandardCharsets.UTF_8));
            output.write(ArchitectureExport.PROBABILITIES,
                    ArchitectureExport.probabilitiesJson(arch).getBytes(StandardCharsets.UTF_8));
            Map<String, Object> described = new LinkedHashMap<>(executor.describe());
            described.putAll(exportInfo);
            output.write(RunInfo.FILE, RunInfo.json(config, splits, described).getBytes(StandardCharsets.UTF_8));
            output.write(OutputFolder.SUCCESS, new byte[0]);
            LOG.info("search finished: {}{}", ArchitectureExport.describe(exported),
                    exportInfo.isEmpty() ? "" : " " + exportInfo);
            return arch;
        }
    }

    /** The master state for a supernet, seeded from the config. */
    public static SupernetMaster newMaster(TrainerConfig config, Supernet supernet) {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        Map<String, Integer> numChosen = new LinkedHashMap<>();
        for (Map.Entry<String, Choice> e : supernet.choices().entrySet()) {
            candidates.put(e.getKey(), e.getValue().candidateNames());
            numChosen.put(e.getKey(), e.getValue().numChosen());
        }
        var opt = config.optimizer();
        return new SupernetMaster(
                supernet.parameterInfos(),
                supernet.choices(),
                ArchitectureParameters.initialise(candidates, numChosen, config.seed()),
                new SgdOptimizer(opt.momentum(), opt.nesterov(), opt.weightDecay()),
                AdamOptimizer.forArchitecture(config.arcLearningRate()),
                config.model().norm().momentum(),
                config.seed());
    }

    /** Loads the training images and splits them: {weight split, architecture split}. */
    public static ImageDataset[] loadSplits(TrainerConfig config, FileSource data) throws IOException {
        SpaceConfig space = config.model();
        ImageDataset all = ImageDataset.loadIdx(data, "train", space.numClasses());
        int[] input = space.inputShape();
        if (input[0] != 1 || input[1] != all.rows() || input[2] != all.cols()) {
            throw new IOException(data.describe("train-images-idx3-ubyte") + ": images are 1x" + all.rows() + "x"
                    + all.cols() + " but the space's input_shape is " + java.util.Arrays.toString(input));
        }
        if (config.dataset().limit() > 0) {
            all = all.subset(StratifiedSplit.sample(all, config.dataset().limit(), config.seed()));
        }
        StratifiedSplit split = StratifiedSplit.of(all, config.dataset().trainPortion(), config.seed());
        return new ImageDataset[] {all.subset(split.weightIndices()), all.subset(split.archIndices())};
    }

}
