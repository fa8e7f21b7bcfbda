package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.retrain.RetrainRun;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.retrain.SparkRetrain;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code proxyless retrain}: a searched or uniform network trained from scratch, saved as a model folder. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Train the network of --arch (or a --uniform baseline) from scratch on --data, score it on the"
                + " test set every epoch, and write a model folder (model.safetensors, model.json, architecture.json,"
                + " synset.txt, metrics.json, metrics.jsonl, _SUCCESS) to --output.")
public final class RetrainCommand implements Callable<Integer>, TrainerOptions.OwnDefaults {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RetrainCommand.class);

    static final class Network {
        @Option(names = "--arch", paramLabel = "FILE", required = true,
                description = "architecture.json of a search (any Hadoop path); without --model or --config, the"
                        + " space is the search's, from the run.json beside it")
        String arch;

        @Option(names = "--uniform", paramLabel = "OP", required = true,
                description = "Baseline: every cell runs OP, e.g. k3e3 ... k7e6")
        String uniform;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Network network;

    @Option(names = "--output", required = true, description = "Model folder (any Hadoop path)")
    String output;

    @Option(names = "--test-data", description = "Test set (path or table, as --data); default: an IDX folder's t10k"
            + " files, else the seeded hold-out of --data (1 - train_portion of each class)")
    String testData;

    @Option(names = "--test-data-format", description = "auto (default), idx, parquet, table or image-folder")
    String testDataFormat;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    TrainerOptions trainer;

    /**
     * Given no {@code --config} and no model option or key, the space of the search whose
     * {@code architecture.json} this is, from the {@code run.json} beside it: the network is then the
     * one the search exported, with no option to repeat.
     */
    private TrainerConfig.Builder withSearchSpace(TrainerConfig.Builder recipe, Configuration hadoop) throws IOException {
        if (network.arch == null || trainer.choosesModel()) {
            return recipe;
        }
        Path runJson = new Path(new Path(network.arch).getParent(), "run.json");
        FileSystem fs = runJson.getFileSystem(hadoop);
        if (!fs.exists(runJson)) {
            return recipe;
        }
        Map<String, Object> run;
        try (InputStream in = fs.open(runJson)) {
            run = ConfigLoader.readYaml(in, runJson.toString());
        }
        if (run.get("space") instanceof Map<?, ?> space) {
            SpaceSpec spec = SpaceSpec.fromJson(new com.google.gson.Gson().toJsonTree(space).getAsJsonObject(),
                    runJson + ", space");
            LOG.info("retrain: the search's space {}, from {}", spec.className(), runJson);
            return recipe.optSpace(spec);
        }
        // A run written before run.json named its space: the built-in family's model keys.
        if (!run.containsKey("model")) {
            return recipe;
        }
        LOG.info("retrain: the space of the search, from {}", runJson);
        return recipe.optModel(ConfigLoader.readModel(run.get("model"), runJson + ", model"));
    }

    @Override
    public java.util.Set<String> keysNotFromFiles() {
        return RetrainRun.SEARCH_ONLY_KEYS;
    }

    @Override
    public TrainerConfig trainerDefaults() {
        return RetrainRun.recipe().build();
    }

    @Override
    public Integer call() throws Exception {
        try (SparkSession spark = SparkSearch.session(sparkOptions.master, jarOptions.load(new Configuration()))) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            TrainerConfig config = trainer.resolve(hadoop, withSearchSpace(RetrainRun.recipe(), hadoop).build());
            SparkRetrain.Builder retrain = SparkRetrain.builder(spark).setConfig(config).setOutput(output)
                    .optPartitions(sparkOptions.partitions());
            if (network.arch != null) {
                retrain.setArchitectureJson(TrainerOptions.readOption("--arch", network.arch, hadoop), network.arch);
            } else {
                retrain.setUniform(network.uniform);
            }
            if (testData != null) {
                retrain.optTestData(config.dataset().withSource(testData, testDataFormat != null ? testDataFormat : "auto")
                        .withLimit(0));
            }
            retrain.run();
        }
        return 0;
    }
}
