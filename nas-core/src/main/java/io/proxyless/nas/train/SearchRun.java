package io.proxyless.nas.train;

import io.proxyless.nas.algorithm.SearchAlgorithm;
import io.proxyless.nas.algorithm.SearchAlgorithms;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.checkpoint.CheckpointListener;
import io.proxyless.nas.checkpoint.Fingerprints;
import io.proxyless.nas.checkpoint.Resumption;
import io.proxyless.nas.checkpoint.SearchCheckpoint;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.io.OutputLock;
import io.proxyless.nas.latency.LatencyBudget;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.listener.DivergenceCheck;
import io.proxyless.nas.listener.TrainingListener;
import io.proxyless.nas.metrics.MetricsLog;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.optim.AdamOptimizer;
import io.proxyless.nas.optim.SgdOptimizer;
import io.proxyless.nas.report.SearchReport;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One search from configuration to exported architecture: has the data loaded and split, builds the
 * supernet and the master state (or restores it from a checkpoint), runs the loop with the given
 * executor, writes {@code metrics.jsonl} and checkpoints as it goes, then {@code architecture.json},
 * {@code architecture-probs.json}, {@code run.json} and, last, {@code _SUCCESS}. A failure leaves
 * no {@code _SUCCESS}.
 */
public final class SearchRun {

    private static final Logger LOG = LoggerFactory.getLogger(SearchRun.class);

    private SearchRun() {}

    /** Runs a search without a latency term and returns the final architecture parameters. */
    public static ArchitectureParameters run(TrainerConfig config, SearchData.Loader data, OutputFolder output)
            throws IOException {
        if (config.appliedHardware() != null) {
            throw new IllegalArgumentException(TrainerConfig.option("applied_hardware")
                    + " needs the space's latency costs: call run(..., latency)");
        }
        return run(config, data, output, null);
    }

    /** {@link #run(TrainerConfig, SearchData.Loader, OutputFolder, SpaceLatency, boolean)}, not resuming. */
    public static ArchitectureParameters run(TrainerConfig config, SearchData.Loader data, OutputFolder output,
            SpaceLatency latency) throws IOException {
        return run(config, data, output, latency, false);
    }

    /**
     * Runs the search, with the latency term of {@code grad_reg_loss_type} over {@code latency} when
     * it is not {@code null}, and returns the final architecture parameters. Checkpoints go to
     * {@code output/checkpoints} every {@code checkpoint_every} steps, at each epoch end and at the end.
     *
     * @param resume continue from the newest valid checkpoint in {@code output}; without it, an output
     *     that holds a partial search is refused
     */
    public static ArchitectureParameters run(TrainerConfig config, SearchData.Loader data, OutputFolder output,
            SpaceLatency latency, boolean resume) throws IOException {
        try (OutputLock lock = OutputLock.acquire(output, "search")) {
            return runOwning(config, data, output, latency, resume);
        }
    }

    private static ArchitectureParameters runOwning(TrainerConfig config, SearchData.Loader data, OutputFolder output,
            SpaceLatency latency, boolean resume) throws IOException {
        Resumption resumption = Resumption.of(output, resume);
        if (config.targetLatency() != null && latency != null) {
            // Refused now rather than after hours of search.
            LatencyBudget.checkFeasible(latency, config.targetLatency());
        }
        // Refused before the data are read.
        ComputeDevice device = config.computeDevice().checkAvailable(TrainerConfig.option("device"));
        SearchSpace space = config.searchSpace();
        PhaseClock clock = new PhaseClock();
        try (SearchData splits = data.load();
                Supernet supernet = Supernet.of(space, device);
                StepExecutor executor = splits.executor(supernet)) {
            DataSummary summary = splits.summary();
            clock.end("data");
            Map<String, String> dataPrint = summary.fingerprint();
            SupernetMaster master = newMaster(config, supernet);
            SearchAlgorithm algorithm = SearchAlgorithms.of(config, latency);
            LoopPosition start = resumption.start(master, algorithm.objective(), new Fingerprints(
                    SearchCheckpoint.configFingerprint(config), dataPrint,
                    Fingerprints.run(executor.shards(), latency == null ? null : latency.digest()), executor.torchThreads()));
            LOG.info("search: {} weight / {} architecture images, {} cells, {} epochs of {} batches, {} shards{}",
                    summary.weightSize(), summary.archSize(), supernet.choices().size(), config.numEpochs(),
                    summary.weightSize() / config.batchSize(), executor.shards(),
                    start.step() > 0 ? ", resuming after step " + start.step() : "");
            try (MetricsLog metrics = new MetricsLog(resumption.openMetrics(), config.numEpochs(), latency,
                    config.targetLatency())) {
                TrainingListener warmupClock = new TrainingListener() {
                    @Override
                    public void afterStep(LoopPosition next, boolean epochEnd) {
                        if (epochEnd && next.epoch() == config.warmupEpochs()) {
                            clock.end("warmup_epochs");
                        }
                    }
                };
                SearchLoop loop = new SearchLoop(config, master, executor, algorithm, List.of(new DivergenceCheck(),
                        metrics, new CheckpointListener(resumption, master, algorithm.objective(), config.checkpointEvery()),
                        warmupClock), summary.weightSize(), summary.archSize());
                if (start.epoch() >= config.warmupEpochs()) {
                    clock.end("warmup_epochs");
                }
                loop.run(start);
                clock.end("search_epochs");
            }
            ArchitectureParameters arch = master.architecture();
            Map<String, List<String>> exported = arch.chosen();
            Map<String, Object> exportInfo = new LinkedHashMap<>();
            if (latency != null) {
                if (config.targetLatency() != null) {
                    LatencyBudget.Choice choice = LatencyBudget.spending(arch, latency, config.targetLatency());
                    exported = choice.architecture();
                    exportInfo.put("target_latency", config.targetLatency());
                }
                exportInfo.put("exported_latency", latency.of(exported, "the exported network"));
                exportInfo.put("uniform_latency", uniformLatencies(supernet, latency));
                exportInfo.put("latency_unit", latency.unit());
                exportInfo.put("applied_hardware", latency.hardware());
            }
            output.write(ArchitectureExport.ARCHITECTURE,
                    ArchitectureExport.architectureJson(exported).getBytes(StandardCharsets.UTF_8));
            output.write(ArchitectureExport.PROBABILITIES,
                    ArchitectureExport.probabilitiesJson(arch).getBytes(StandardCharsets.UTF_8));
            Map<String, Object> described = new LinkedHashMap<>(executor.describe());
            described.putAll(exportInfo);
            described.put("config", SearchCheckpoint.configFingerprint(config));
            // The space: what a retrain of the exported network builds.
            described.put("space", space.spec().toJson());
            clock.end("export");
            // This process's phases: a resumed search counts only what it ran after resuming.
            described.put("phase_seconds", clock.seconds());
            output.write(RunInfo.FILE, RunInfo.json(config, summary, described).getBytes(StandardCharsets.UTF_8));
            try {
                SearchReport.write(output);
            } catch (IOException | RuntimeException e) {
                // The search's results are written; a report that cannot be drawn must not lose them.
                LOG.warn("report.html not written: {}", e.toString());
            }
            output.write(OutputFolder.SUCCESS, new byte[0]);
            LOG.info("search finished: {}{}", ArchitectureExport.describe(exported),
                    exportInfo.isEmpty() ? "" : " " + exportInfo);
            return arch;
        }
    }

    /** The table latency of each uniform network (every cell running one op), by op. */
    private static Map<String, Double> uniformLatencies(Supernet supernet, SpaceLatency latency) {
        Map<String, Double> uniform = new LinkedHashMap<>();
        for (String op : ChildArchitecture.uniformOps(supernet.choices())) {
            Map<String, List<String>> network = ChildArchitecture.uniform(supernet.choices(), op).chosen();
            uniform.put(op, latency.of(network, "the uniform " + op + " network"));
        }
        return uniform;
    }

    /** The master state for a supernet, seeded from the config. */
    public static SupernetMaster newMaster(TrainerConfig config, Supernet supernet) {
        return newMaster(config, supernet, supernet.parameterInfos());
    }

    /** The master state of some of a supernet's parameters (a child network's), seeded from the config. */
    public static SupernetMaster newMaster(TrainerConfig config, Supernet supernet, List<ParameterInfo> parameters) {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        Map<String, Integer> numChosen = new LinkedHashMap<>();
        for (Map.Entry<String, Choice> e : supernet.choices().entrySet()) {
            candidates.put(e.getKey(), e.getValue().candidateNames());
            numChosen.put(e.getKey(), e.getValue().numChosen());
        }
        var opt = config.optimizer();
        return new SupernetMaster(
                parameters,
                supernet.choices(),
                ArchitectureParameters.initialise(candidates, numChosen, config.seed()),
                new SgdOptimizer(opt.momentum(), opt.nesterov(), opt.weightDecay()),
                AdamOptimizer.forArchitecture(config.arcLearningRate()),
                config.model().norm().momentum(),
                config.seed());
    }
}
