package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigOptions;
import io.proxyless.nas.config.ConfigReference;
import io.proxyless.nas.config.ConfigYaml;
import io.proxyless.nas.config.TrainerConfig;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code proxyless config}: the merged configuration a search would run with, the defaults, or the reference table. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the configuration that the same options would give a search (--show, the default), as"
                + " YAML that --config reads back; or every option's default (--defaults: conf/search.yaml); or the"
                + " README's reference table (--reference). Runs nothing.")
public final class ConfigCommand implements Callable<Integer> {

    static final class What {
        @Option(names = "--show", description = "The merged configuration of the other options (default)")
        boolean show;

        @Option(names = "--defaults", description = "Every option with its default and help: conf/search.yaml")
        boolean defaults;

        @Option(names = "--reference", description = "The configuration reference of README.md, as Markdown")
        boolean reference;
    }

    @ArgGroup(exclusive = true)
    What what = new What();

    @Mixin
    TrainerOptions trainer;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String text;
        if (what.defaults) {
            text = ConfigYaml.defaults();
        } else if (what.reference) {
            text = ConfigReference.markdown();
        } else {
            TrainerConfig config = trainer.resolve(new Configuration());
            text = ConfigYaml.render(ConfigOptions.valuesOf(config), "The configuration of: proxyless search "
                    + String.join(" ", spec.commandLine().getParseResult().originalArgs()).replaceFirst("^config ?", ""));
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
