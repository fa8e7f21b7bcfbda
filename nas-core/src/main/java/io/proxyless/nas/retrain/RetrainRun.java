package io.proxyless.nas.retrain;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.child.Evaluator;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.io.OutputLock;
import io.proxyless.nas.listener.DivergenceCheck;
import io.proxyless.nas.listener.TrainingListener;
import io.proxyless.nas.metrics.MetricsLog;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.train.SearchData;
import io.proxyless.nas.train.SearchLoop;
import io.proxyless.nas.train.SearchRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains one child network from scratch with the search's own loop and step ({@link
 * SearchLoop#retraining}): the weight split trains it, every epoch it is scored on the test set
 * (or, without one, on the architecture split as a seeded hold-out), and the result is written as a
 * {@link SavedModel} with {@code _SUCCESS} last.
 *
 * <p>Batch norm: each shard normalises with its own batch statistics, as a DDP replica does, and
 * the driver merges every shard's exact moments into the running statistics of the whole global
 * batch, as SyncBatchNorm's running statistics are. Evaluation uses those, so it does not depend on
 * how many partitions or executors trained the network.
 */
public final class RetrainRun {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainRun.class);

    /** The share of each class a retrain trains on; the rest is the hold-out. */
    public static final double TRAIN_PORTION = 0.9;

    /**
     * The keys of a search's configuration file that a retrain does not take from it: the
     * architecture search's own, and the split and warmup that the recipe sets (a search's
     * warmup_epochs restarted the retrain's schedule). Flags and --set still set them.
     */
    public static final java.util.Set<String> SEARCH_ONLY_KEYS = java.util.Set.of("warmup_epochs",
            "optimizer.warmup_learning_rate", "dataset.train_portion", "arc_learning_rate", "grad_reg_loss_type",
            "grad_reg_loss_params", "applied_hardware", "latency_table", "dummy_input", "ref_latency", "binary_mode",
            "arch_update_frequency", "target_latency", "algorithm", "reinforce_samples");

    private RetrainRun() {}

    /**
     * The retrain recipe's defaults: the search's SGD (Nesterov momentum 0.9, cosine-annealed rate,
     * weight decay 4e-5 on convolution and linear weights only, label smoothing 0.1), no warmup
     * epochs, and 90% of each class to train on (the rest is the hold-out when there is no test set).
     */
    public static TrainerConfig.Builder recipe() {
        return TrainerConfig.builder().set("warmup_epochs", 0).optDataset(DatasetConfig.defaults().withTrainPortion(
                TRAIN_PORTION));
    }

    /** What a retrain gives back. */
    public record Result(ChildArchitecture child, Evaluation test, List<Map<String, Object>> epochs, SavedModel model) {}

    /**
     * @param architecture label to the chosen candidates ({@code architecture.json}, or a uniform network)
     * @param data the training data (its weight split trains)
     * @param testSet the test set, given the training data's summary (class names, normalisation);
     *     {@code null} scores on the hold-out
     * @param output the model folder
     */
    public static Result run(TrainerConfig config, Map<String, List<String>> architecture, String architectureSource,
            SearchData.Loader data, Function<DataSummary, Evaluator> testSet, OutputFolder output) throws IOException {
        try (OutputLock lock = OutputLock.acquire(output, "retrain")) {
            return runOwning(config, architecture, architectureSource, data, testSet, output);
        }
    }

    private static Result runOwning(TrainerConfig config, Map<String, List<String>> architecture,
            String architectureSource, SearchData.Loader data, Function<DataSummary, Evaluator> testSet,
            OutputFolder output) throws IOException {
        if (output.exists(OutputFolder.SUCCESS)) {
            throw new IllegalArgumentException(output.describe("") + " already holds a finished model (_SUCCESS);"
                    + " give another --output");
        }
        SearchSpace space = config.searchSpace();
        try (Supernet supernet = Supernet.of(space,
                config.computeDevice().checkAvailable(TrainerConfig.option("device")))) {
            ChildArchitecture child = ChildArchitecture.of(supernet.choices(), architecture, architectureSource);
            long started = System.nanoTime();
            try (SearchData splits = data.load();
                    StepExecutor executor = splits.executor(supernet);
                    Evaluator test = testSet != null ? testSet.apply(splits.summary()) : splits.holdOut(supernet)) {
                DataSummary summary = splits.summary();
                if (summary.classNames().size() != space.numClasses()) {
                    // A model whose outputs outnumber its class names could be saved but never loaded.
                    throw new IllegalArgumentException(summary.source() + " has " + summary.classNames().size()
                            + " classes " + summary.classNames() + " but the network has "
                            + space.numClasses() + " outputs (" + (config.space() == null
                                    ? TrainerConfig.option("model.num_classes") : "the space's parameters")
                            + "): set it to " + summary.classNames().size());
                }
                // Only the child's parameters are initialised, trained and saved; alpha is never updated.
                SupernetMaster master = SearchRun.newMaster(config, supernet, child.parameters(supernet.parameterInfos()));
                long parameters = child.trainableCount(supernet.parameterInfos());
                LOG.info("retrain: {} ({} parameters) on {} images, {} epochs of {} batches, {} shards; scored on {}",
                        child.describe(), parameters, summary.weightSize(), config.numEpochs(),
                        summary.weightSize() / config.batchSize(), executor.shards(), test.describe());
                List<Map<String, Object>> epochs = new ArrayList<>();
                Evaluation[] last = new Evaluation[1];
                try (MetricsLog metrics = new MetricsLog(output.create(MetricsLog.FILE), config.numEpochs(), null, null)) {
                    TrainingListener testEveryEpoch = new TrainingListener() {
                        @Override
                        public void afterStep(LoopPosition next, boolean epochEnd) {
                            if (!epochEnd) {
                                return;
                            }
                            long t0 = System.nanoTime();
                            Evaluation e = test.evaluate(child, master.allValues(),
                                    "retrain epoch " + next.epoch() + "/" + config.numEpochs() + ": test");
                            long wall = System.nanoTime() - t0;
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("epoch", next.epoch());
                            row.put("step", next.step());
                            row.put("top1", e.top1());
                            row.put("top5", e.top5());
                            row.put("loss", e.meanLoss());
                            row.put("seconds", wall / 1e9);
                            epochs.add(row);
                            last[0] = e;
                            LOG.info(String.format(Locale.ROOT, "retrain epoch %d/%d: %s top-1 %.4f top-5 %.4f loss %.4f"
                                    + " (%d images in %.2f s)", next.epoch(), config.numEpochs(), test.describe(), e.top1(),
                                    e.top5(), e.meanLoss(), e.count(), wall / 1e9));
                        }
                    };
                    SearchLoop.retraining(config, master, executor, List.of(new DivergenceCheck(), metrics, testEveryEpoch),
                            summary.weightSize(), child).run(LoopPosition.START);
                }
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("test_set", test.describe());
                metrics.put("test", last[0].describe(summary.classNames(), 0));
                metrics.put("epochs", epochs);
                metrics.put("parameters", parameters);
                metrics.put("train_images", summary.weightSize());
                metrics.put("num_epochs", config.numEpochs());
                metrics.put("global_batch", config.batchSize());
                metrics.put("shards", executor.shards());
                metrics.put("train_seconds", (System.nanoTime() - started) / 1e9);
                metrics.put("data", summary.describe());
                metrics.put("executor", executor.describe());
                SavedModel model = new SavedModel(space.spec(), child.chosen(), summary.normalization(),
                        summary.classNames(), new LinkedHashMap<>(master.allValues()), metrics);
                model.write(output);
                LOG.info(String.format(Locale.ROOT, "retrain finished: %s top-1 %.4f on %s; model in %s", child.describe(),
                        last[0].top1(), test.describe(), output.describe("")));
                return new Result(child, last[0], epochs, model);
            }
        }
    }
}
