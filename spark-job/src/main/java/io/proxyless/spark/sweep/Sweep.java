package io.proxyless.spark.sweep;

import com.google.gson.GsonBuilder;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.latency.LatencyLoss;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.retrain.RetrainRun;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.retrain.SparkRetrain;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One search per setting (a target latency, or a lambda of the latency loss), one after another in
 * one Spark session, each in its own folder under the sweep's; then, with {@code retrainEpochs > 0},
 * each exported network retrained from scratch and scored. It writes {@code sweep.json} and
 * {@code sweep.md}: per setting the exported network, its table latency, MMACs, parameters and test
 * top-1. A setting whose folder already holds a finished search (or model) is not run again, so a
 * sweep that stopped continues where it was.
 */
public final class Sweep {

    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    /** One point of the sweep: its folder name and the search's configuration. */
    public record Setting(String name, TrainerConfig config) {}

    /** What one setting gave. */
    public record Row(String name, Map<String, List<String>> architecture, double latency, String unit, double mmacs,
            long parameters, Double top1) {}

    private Sweep() {}

    /** The settings of {@code targets} (each a {@code target_latency}) on top of {@code base}. */
    public static List<Setting> targets(TrainerConfig base, List<Double> targets) {
        List<Setting> settings = new ArrayList<>();
        for (double t : targets) {
            settings.add(new Setting("target-" + format(t), base.toBuilder().set("target_latency", t).build()));
        }
        return settings;
    }

    /**
     * The settings of {@code lambdas} on top of {@code base}: each the weight of the latency loss, its
     * {@code lambda} for {@code add#linear} and its {@code beta} for {@code mul#log}. The latter's
     * {@code alpha} multiplies both the cross-entropy and the latency gradient, which Adam's
     * per-coordinate scaling cancels, so only {@code beta} weighs latency against accuracy there.
     */
    public static List<Setting> lambdas(TrainerConfig base, List<Double> lambdas) {
        if (base.gradRegLossType() == null) {
            throw new IllegalArgumentException("--lambdas sweeps " + TrainerConfig.option("grad_reg_loss_type")
                    + "'s weight: set it (add#linear or mul#log)");
        }
        String param = LatencyLoss.Type.parse(base.gradRegLossType()).weightParam();
        List<Setting> settings = new ArrayList<>();
        for (double lambda : lambdas) {
            Map<String, Double> params = new LinkedHashMap<>(base.gradRegLossParams());
            params.put(param, lambda);
            settings.add(new Setting(param + "-" + format(lambda), base.toBuilder().set("grad_reg_loss_params", params).build()));
        }
        return settings;
    }

    /**
     * Runs the settings and returns their rows; {@code latency} prices the networks as the searches
     * saw them, {@code flops} gives their MMACs.
     */
    public static List<Row> run(SparkSession spark, List<Setting> settings, SpaceLatency latency, String output,
            int retrainEpochs) throws IOException {
        var hadoop = spark.sparkContext().hadoopConfiguration();
        List<Row> rows = new ArrayList<>();
        SpaceLatency flops = settings.isEmpty() ? null : flopsOf(settings.get(0).config());
        for (Setting setting : settings) {
            TrainerConfig config = setting.config();
            String searchDir = new Path(output, setting.name()).toString();
            HadoopOutputFolder search = new HadoopOutputFolder(searchDir, hadoop);
            if (search.exists(OutputFolder.SUCCESS)) {
                LOG.info("sweep: {} already searched in {}", setting.name(), searchDir);
            } else {
                LOG.info("sweep: searching {} into {}", setting.name(), searchDir);
                SparkSearch.builder(spark).setConfig(config).setOutput(search).optLatency(latency)
                        .optResume(true).run();
            }
            Map<String, List<String>> architecture = ArchitectureExport.parseArchitecture(
                    new String(search.read(ArchitectureExport.ARCHITECTURE), StandardCharsets.UTF_8), searchDir);
            Double top1 = null;
            if (retrainEpochs > 0) {
                top1 = retrained(spark, config, architecture, new Path(output, setting.name() + "-model").toString(),
                        retrainEpochs);
            }
            rows.add(describe(setting, architecture, latency, flops, top1));
        }
        write(new HadoopOutputFolder(output, hadoop), rows);
        return rows;
    }

    private static Double retrained(SparkSession spark, TrainerConfig search, Map<String, List<String>> architecture,
            String modelDir, int epochs) throws IOException {
        HadoopOutputFolder model = new HadoopOutputFolder(modelDir, spark.sparkContext().hadoopConfiguration());
        if (model.exists(OutputFolder.SUCCESS)) {
            Object test = new com.google.gson.Gson().fromJson(new String(model.read("metrics.json"),
                    StandardCharsets.UTF_8), Map.class).get("test");
            return ((Number) ((Map<?, ?>) test).get("top1")).doubleValue();
        }
        // The retrain's own split of each class, not the search's weight share.
        DatasetConfig data = search.dataset().withTrainPortion(RetrainRun.TRAIN_PORTION);
        TrainerConfig recipe = RetrainRun.recipe().optSpace(search.spaceSpec())
                .optDataset(data).optOptimizer(search.optimizer()).set("batch_size", search.batchSize())
                .set("seed", search.seed()).set("shards", search.shards()).set("log_frequency", search.logFrequency())
                .set("num_epochs", epochs).build();
        return SparkRetrain.builder(spark).setConfig(recipe).setArchitecture(architecture, modelDir).setOutput(model)
                .run().test().top1();
    }

    /** The flops table of the settings' space: every setting shares the space, only the latency term differs. */
    private static SpaceLatency flopsOf(TrainerConfig config) throws IOException {
        TrainerConfig flopsConfig = config.toBuilder().set("applied_hardware", "flops").set("latency_table", null).build();
        return HardwareResolver.resolve(flopsConfig, path -> "", (hardware, space, batch) -> null);
    }

    private static Row describe(Setting setting, Map<String, List<String>> architecture, SpaceLatency latency,
            SpaceLatency flops, Double top1) {
        TrainerConfig config = setting.config();
        long parameters;
        try (Supernet supernet = Supernet.of(config.searchSpace())) {
            parameters = ChildArchitecture.of(supernet.choices(), architecture, setting.name())
                    .trainableCount(supernet.parameterInfos());
        }
        return new Row(setting.name(), architecture, latency.of(architecture, setting.name()), latency.unit(),
                flops.of(architecture, setting.name()), parameters, top1);
    }

    private static void write(OutputFolder out, List<Row> rows) throws IOException {
        out.writeAtomically("sweep.json", (new GsonBuilder().setPrettyPrinting().create().toJson(rows) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeAtomically("sweep.md", table(rows).getBytes(StandardCharsets.UTF_8));
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder md = new StringBuilder("| setting | network | latency | MMACs | parameters | test top-1 |\n"
                + "|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f %s | %.3f | %,d | %s |%n", r.name(),
                    ArchitectureExport.describe(r.architecture()), r.latency(), r.unit(), r.mmacs(), r.parameters(),
                    r.top1() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.top1())));
        }
        return md.toString();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
