package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLayer;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.ConfigOptions;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.space.SpaceParams;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trainer argument as a flag, generated from its declaration ({@link ConfigOptions#ALL}), plus
 * {@code --config FILE} and {@code --set key=value}; shared by the commands as a mixin. Merged as
 * the defaults (or a retrain's recipe), then the file, then the flags, then {@code --set}.
 */
public final class TrainerOptions {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainerOptions.class);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of trainer arguments (any Hadoop path);"
            + " conf/search.yaml lists them all")
    String configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set any trainer argument by its YAML key, after"
            + " the file and the flags, e.g. --set model.width_stages=16,24,40 (repeatable)")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--latency-cache", paramLabel = "DIR",
            description = "Folder of measured cpu tables (default ~/.cache/proxyless-spark)")
    String latencyCache;

    private final GeneratedFlags flags = new GeneratedFlags(option -> true);

    /** A command whose trainer arguments start from other defaults than the search's (a retrain's recipe). */
    interface OwnDefaults {
        TrainerConfig trainerDefaults();

        /** Keys this command does not take from a configuration file (a search's file given to a retrain). */
        default java.util.Set<String> keysNotFromFiles() {
            return java.util.Set.of();
        }
    }

    private java.util.Set<String> keysNotFromFiles = java.util.Set.of();

    /** Adds the generated flags to the commands of {@code cli} that mix these options (or the dataset's) in. */
    static void declareAll(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            for (CommandSpec mixin : sub.getCommandSpec().mixins().values()) {
                if (mixin.userObject() instanceof TrainerOptions options) {
                    TrainerConfig base = sub.getCommand() instanceof OwnDefaults own ? own.trainerDefaults()
                            : TrainerConfig.builder().build();
                    if (sub.getCommand() instanceof OwnDefaults own) {
                        options.keysNotFromFiles = own.keysNotFromFiles();
                    }
                    options.flags.declareOn(sub.getCommandSpec(), ConfigOptions.valuesOf(base));
                } else if (mixin.userObject() instanceof DatasetOptions dataset) {
                    dataset.flags.declareOn(sub.getCommandSpec(), ConfigOptions.defaults());
                }
            }
        }
    }

    /** The text given for an option on the command line ({@code --set} aside), or {@code null}. */
    String given(String key) {
        return flags.given(key);
    }

    /** Replaces (or, with {@code null}, drops) what the command line gave for an option. */
    void override(String key, String value) {
        flags.override(key, value);
    }

    /** Whether the space may differ from the defaults': a file, a preset or a model key was given. */
    boolean choosesModel() {
        return configFile != null || assignments.stream().anyMatch(a -> a.startsWith("model") || a.startsWith("space"))
                || flags.keys().stream().anyMatch(key -> (key.startsWith("model.") || key.startsWith("space"))
                        && given(key) != null);
    }

    /** Defaults, then the YAML file, then the flags, then {@code --set}. */
    TrainerConfig resolve(Configuration hadoop) throws IOException {
        return resolve(hadoop, TrainerConfig.builder().build());
    }

    /** {@code base} (a retrain's recipe, say), then the YAML file, then the flags, then {@code --set}. */
    TrainerConfig resolve(Configuration hadoop, TrainerConfig base) throws IOException {
        List<ConfigLayer> layers = new ArrayList<>();
        if (configFile != null) {
            String text = readOption("--config", configFile, hadoop);
            ConfigLayer file = ConfigLoader.fromYaml(ConfigLoader.readYaml(
                    new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), configFile), configFile);
            Map<String, Object> kept = new LinkedHashMap<>(file.values());
            List<String> left = file.values().keySet().stream().filter(keysNotFromFiles::contains).sorted().toList();
            kept.keySet().removeAll(left);
            if (!left.isEmpty()) {
                LOG.warn("{}: leaving out {}, which a search sets and this command takes from its own recipe; give"
                        + " them as flags or with --set to change them", configFile, left);
            }
            layers.add(new ConfigLayer(file.source(), kept, file.byFlag()));
        }
        String params = flags.given("space_params");
        if (params != null && !params.stripLeading().startsWith("{")) {
            flags.override("space_params", readOption("--space-params", params, hadoop));
        }
        layers.add(flags.asLayer());
        List<String> spaceKeys = assignments.stream().filter(a -> a.startsWith(SPACE_KEY)).toList();
        layers.add(ConfigLoader.fromAssignments(
                assignments.stream().filter(a -> !a.startsWith(SPACE_KEY)).toList(), "--set"));
        TrainerConfig config = ConfigLoader.merge(base, layers);
        if (spaceKeys.isEmpty()) {
            return checkedSpace(config);
        }
        SpaceParams merged = SpaceParams.parse(config.spaceParams(), "space_params");
        for (String assignment : spaceKeys) {
            int eq = assignment.indexOf('=');
            if (eq <= SPACE_KEY.length()) {
                throw new IllegalArgumentException("--set: expected space.KEY=VALUE, got '" + assignment + "'");
            }
            merged = merged.with(assignment.substring(SPACE_KEY.length(), eq).trim(), assignment.substring(eq + 1));
        }
        layers.add(new ConfigLayer("--set", Map.of("space_params", merged.json()), false));
        return checkedSpace(ConfigLoader.merge(base, layers));
    }

    /** A space of one's own is built once now, so a missing class or a refused parameter stops the command here. */
    private static TrainerConfig checkedSpace(TrainerConfig config) {
        if (config.space() != null) {
            config.searchSpace();
        }
        return config;
    }

    /** {@code --set space.KEY=VALUE}: one parameter of the space. */
    private static final String SPACE_KEY = "space.";

    /** The space's latency costs for {@code applied_hardware}, or {@code null}. */
    SpaceLatency latency(TrainerConfig config, Configuration hadoop, HardwareResolver.MeasuredTables measurer)
            throws IOException {
        // The default is the driver's local disk, whatever the cluster's default file system is.
        String cache = latencyCache != null ? latencyCache
                : new java.io.File(System.getProperty("user.home"), ".cache/proxyless-spark").toURI().toString();
        return HardwareResolver.resolve(config, path -> read(path, hadoop),
                new io.proxyless.spark.latency.MeasuredTableCache(measurer, cache, hadoop));
    }

    /** A file an option names; a missing one is bad input naming the option. */
    static String readOption(String option, String file, Configuration hadoop) throws IOException {
        try {
            return read(file, hadoop);
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(option + ": file " + file + " not found", e);
        }
    }

    static String read(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
