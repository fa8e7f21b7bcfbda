package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The commands that read data or run on Spark take the search's own flags, declared once. */
class SharedFlagsTest {

    private static OptionSpec flag(CommandLine cli, String command, String name) {
        OptionSpec spec = cli.getSubcommands().get(command).getCommandSpec().findOption(name);
        assertNotNull(spec, command + " lacks " + name);
        return spec;
    }

    @Test
    void evaluateTakesTheSearchsDatasetFlagsAndEveryDataCommandTheSparkFlags() {
        CommandLine cli = Main.commandLine();
        for (String key : DatasetOptions.KEYS) {
            String name = ConfigOptions.byKey(key).orElseThrow().flag();
            assertEquals(Arrays.toString(flag(cli, "search", name).description()),
                    Arrays.toString(flag(cli, "evaluate", name).description()), name);
        }
        for (String command : new String[] {"retrain", "evaluate"}) {
            for (String name : new String[] {"--master", "--partitions"}) {
                assertEquals(Arrays.toString(flag(cli, "search", name).description()),
                        Arrays.toString(flag(cli, command, name).description()), command + " " + name);
            }
        }
    }
}
