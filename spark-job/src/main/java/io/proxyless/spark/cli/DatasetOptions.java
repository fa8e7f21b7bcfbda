package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Set;

/**
 * The dataset flags of a command that reads labelled images but trains nothing ({@code evaluate}):
 * the search's own generated {@code --data}, {@code --data-format}, columns and image limit, as a mixin.
 */
@Command // a mixin whose flags are generated, so it declares none itself
public final class DatasetOptions {

    /** The dataset keys such a command takes; the split and the normalisation belong to training. */
    static final Set<String> KEYS = Set.of("dataset.path", "dataset.format", "dataset.image_column",
            "dataset.label_column", "dataset.max_image_pixels");

    final GeneratedFlags flags = new GeneratedFlags(option -> KEYS.contains(option.key()));

    /** The dataset the flags describe (without {@code --data}, the search's default). */
    DatasetConfig dataset() {
        return ConfigLoader.merge(TrainerConfig.builder().build(), List.of(flags.asLayer())).dataset();
    }
}
