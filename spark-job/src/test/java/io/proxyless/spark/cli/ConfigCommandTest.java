package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.ConfigOption;
import io.proxyless.nas.config.ConfigOptions;
import io.proxyless.nas.config.OptionType;
import io.proxyless.nas.config.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line built from the option declarations: --help, config --show, --set, and mistyped flags. */
class ConfigCommandTest {

    private static String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(expectedCode, code, "stdout:\n" + out + "\nstderr:\n" + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void searchHelpListsEveryOptionWithItsDefault() {
        String help = run(0, "search", "--help")[0].replaceAll("\\s+", " ");
        Map<String, Object> defaults = ConfigOptions.defaults();
        for (ConfigOption o : ConfigOptions.ALL) {
            Object value = defaults.get(o.key());
            String shown = "default: " + (value == null ? "unset" : OptionType.render(value)) + ")";
            int at = help.indexOf(o.flag() + "=" + o.type().label() + " ");
            assertTrue(at >= 0, o.flag() + " missing from --help");
            assertTrue(help.indexOf(shown, at) > at, o.flag() + " lacks '" + shown + "'");
        }
        assertTrue(help.contains("--set=KEY=VALUE"), "--set");
        // retrain starts from its recipe, and its --help says so.
        String retrain = run(0, "retrain", "--help")[0].replaceAll("\\s+", " ");
        int at = retrain.indexOf("--train-portion=X ");
        assertTrue(at >= 0 && retrain.indexOf("default: 0.9)", at) > at, retrain);
    }

    @Test
    void aMistypedFlagGetsTheClosestOneAndExitsTwo(@TempDir Path dir) {
        String err = run(2, "search", "--output", dir.resolve("out").toString(), "--batchsize", "3")[1];
        assertTrue(err.contains("--batchsize: did you mean --batch-size?"), err);
        String far = run(2, "search", "--output", dir.resolve("out").toString(), "--colour", "blue")[1];
        assertTrue(!far.contains("did you mean"), far);
        assertTrue(!Files.exists(dir.resolve("out")), "nothing written");
    }

    /**
     * The two examples: a file that is invalid alone (a table without a loss type; batch size 0)
     * is fixed by the command line, because only the merged values are validated; --set then reaches a
     * nested key. What config --show prints reads back to the same configuration.
     */
    @Test
    void configShowPrintsTheMergedConfigurationThatReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("search.yaml");
        Files.writeString(file, """
                applied_hardware: flops
                grad_reg_loss_type: none
                batch_size: 0
                optimizer: {momentum: 0.8}
                """);
        String shown = run(0, "config", "--config", file.toString(), "--grad-reg-loss-type", "add#linear",
                "--batch-size", "32", "--set", "model.width_stages=16,24,40", "--set", "optimizer.nesterov=false", "--show")[0];
        TrainerConfig c = ConfigLoader.fromYamlText(TrainerConfig.builder().build(), shown, "shown");
        assertEquals("add#linear", c.gradRegLossType());
        assertEquals("flops", c.appliedHardware());
        assertEquals(32, c.batchSize());
        assertEquals(List.of(16, 24, 40), ConfigOptions.valuesOf(c).get("model.width_stages"));
        assertEquals(0.8f, c.optimizer().momentum());
        assertEquals(false, c.optimizer().nesterov());
        String err = run(2, "config", "--config", file.toString(), "--show")[1];
        assertTrue(err.contains("batch_size (--batch-size) must be > 0, got 0"), err);
        String unknown = run(2, "config", "--set", "optimizer.momentun=0.5")[1];
        assertTrue(unknown.contains("did you mean 'optimizer.momentum'?"), unknown);
    }

    @Test
    void configDefaultsIsTheSearchFile() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        assertEquals(Files.readString(root.resolve("conf/search.yaml")), run(0, "config", "--defaults")[0]);
    }
}
