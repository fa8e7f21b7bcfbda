package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static TrainerConfig load(String yaml) {
        Map<String, Object> map = ConfigLoader.readYaml(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
        return ConfigLoader.merge(TrainerConfig.builder().build(), List.of(ConfigLoader.fromYaml(map, "test.yaml")));
    }

    @Test
    void defaultsAreNnisButTheBinaryMode() {
        TrainerConfig c = TrainerConfig.builder().build();
        assertEquals(120, c.numEpochs());
        assertEquals(64, c.batchSize());
        assertEquals(4, c.workers());
        assertEquals(1e-3, c.arcLearningRate());
        assertEquals(0, c.warmupEpochs());
        // Mode two's pairs drift to zero whatever the warmup (docs/results.md); full_v2 does not.
        assertEquals(BinaryMode.FULL_V2, c.binaryMode());
        assertNull(c.gradRegLossType());
        assertEquals(List.of(1, 1, 28, 28), c.dummyInput());
        assertEquals(0.025, c.optimizer().learningRate());
    }

    private static ConfigLayer yaml(String text, String source) {
        return ConfigLoader.fromYaml(ConfigLoader.readYaml(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                source), source);
    }

    private static ConfigLayer flags(Map<String, Object> byKey) {
        return new ConfigLayer("command line", byKey, true);
    }

    /**
     * The command line overrides the file and validation sees only the merged values: a file that is
     * invalid on its own (batch_size 0; applied_hardware without a loss type; a negative rate) is fine
     * once the command line fixes it. One option of every type is overridden, and --set wins last.
     */
    @Test
    void theCommandLineWinsForEveryTypeAndOnlyTheMergedValuesAreValidated() {
        ConfigLayer file = yaml("""
                batch_size: 0
                seed: 5
                applied_hardware: flops
                grad_reg_loss_type: none
                grad_reg_loss_params: {lambda: 2.0}
                arc_learning_rate: -1
                target_latency: 4.5
                optimizer:
                  learning_rate: 0.5
                  momentum: 0.7
                  nesterov: false
                dataset:
                  mean: [0.5]
                  std: [0.25]
                model:
                  width_stages: [8, 16]
                  n_cell_stages: [1, 1]
                  stride_stages: [2, 2]
                  candidate_ops: [k3e3, k5e3]
                """, "file.yaml");
        Map<String, Object> commandLine = new java.util.LinkedHashMap<>();
        commandLine.put("batch_size", "32");                          // integer
        commandLine.put("seed", "12345678901");                       // long
        commandLine.put("arc_learning_rate", "0.01");                 // number
        commandLine.put("grad_reg_loss_type", "add#linear");          // string
        commandLine.put("target_latency", "none");                    // a nullable option unset
        commandLine.put("grad_reg_loss_params", "lambda=0.5");        // a mapping
        commandLine.put("optimizer.learning_rate", "0.1");            // a nested number
        commandLine.put("optimizer.nesterov", "true");                // boolean
        commandLine.put("model.n_cell_stages", "2,1");                // list of integers
        commandLine.put("model.candidate_ops", "k3e3,k7e6");          // list of strings
        commandLine.put("dataset.mean", "0.3");                       // list of numbers
        ConfigLayer set = ConfigLoader.fromAssignments(List.of("batch_size=16", "dataset.std=0.4"), "--set");
        TrainerConfig c = ConfigLoader.merge(TrainerConfig.builder().build(), List.of(file, flags(commandLine), set));
        assertEquals(16, c.batchSize(), "--set wins over the flag");
        assertEquals(12345678901L, c.seed());
        assertEquals(0.01, c.arcLearningRate());
        assertEquals("add#linear", c.gradRegLossType());
        assertNull(c.targetLatency(), "'none' unsets the file's target");
        assertEquals(Map.of("lambda", 0.5), c.gradRegLossParams());
        assertEquals("flops", c.appliedHardware(), "the file's, not overridden");
        assertEquals(0.1, c.optimizer().learningRate());
        assertEquals(0.7f, c.optimizer().momentum(), "the file's, not overridden");
        assertTrue(c.optimizer().nesterov());
        assertArrayEquals(new int[] {2, 1}, c.model().nCellStages());
        assertArrayEquals(new int[] {8, 16}, c.model().widthStages(), "the file's, not overridden");
        assertEquals(List.of("k3e3", "k7e6"), c.model().candidateOps());
        assertEquals(List.of(0.3), c.dataset().mean());
        assertEquals(List.of(0.4), c.dataset().std());
        // The merged result is still validated, naming the option.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.merge(TrainerConfig.builder().build(), List.of(file, flags(Map.of("log_frequency", "3")))));
        assertTrue(e.getMessage().contains("batch_size (--batch-size) must be > 0, got 0"), e.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.merge(TrainerConfig.builder().build(), List.of(flags(Map.of("seed", "soon")))));
        assertTrue(type.getMessage().contains("command line: option --seed expects an integer, got 'soon'"), type.getMessage());
    }

    @Test
    void aPresetReplacesTheModelAndLaterModelKeysOverrideIt() {
        TrainerConfig c = ConfigLoader.merge(TrainerConfig.builder().build(), List.of(
                yaml("model: {width_stages: [8, 16], n_cell_stages: [1, 1], stride_stages: [2, 2]}\n", "file.yaml"),
                ConfigLoader.fromAssignments(List.of("model=cifar10", "model.num_classes=7"), "--set")));
        assertArrayEquals(new int[] {3, 32, 32}, c.model().inputShape());
        assertEquals(7, c.model().numClasses());
        assertEquals(List.of(1, 3, 32, 32), c.dummyInput(), "derived from the new input shape");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.fromAssignments(List.of("optimizer.momentun=0.5"), "--set"));
        assertTrue(e.getMessage().contains("--set: unknown key 'optimizer.momentun'; did you mean 'optimizer.momentum'?"),
                e.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.merge(TrainerConfig.builder().build(), List.of(flags(Map.of("model.preset", "mnist-9")))));
        assertTrue(preset.getMessage().contains("option --model must be one of [fashion-mnist, cifar10, imagenet]"),
                preset.getMessage());
    }

    /** conf/search.yaml is the defaults as ConfigYaml writes them, and it reads back to the defaults exactly. */
    @Test
    void theSearchFileIsTheDefaults() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("..", "conf", "search.yaml");
        assertEquals(ConfigYaml.defaults(), java.nio.file.Files.readString(file),
                "conf/search.yaml is generated: scripts/proxyless config --defaults > conf/search.yaml");
        TrainerConfig fromFile = ConfigLoader.merge(TrainerConfig.builder().build(),
                List.of(yaml(java.nio.file.Files.readString(file), file.toString())));
        assertEquals(ConfigOptions.defaults(), ConfigOptions.valuesOf(fromFile));
        assertNull(fromFile.refLatency(), "ref_latency must stay unset: each table derives its own");
        // A changed configuration round-trips too.
        TrainerConfig changed = ConfigLoader.merge(TrainerConfig.builder().build(), List.of(ConfigLoader.fromAssignments(
                List.of("applied_hardware=flops", "grad_reg_loss_type=mul#log", "grad_reg_loss_params=beta=0.6",
                        "dataset.mean=0.5", "dataset.std=0.2", "seed=9", "model=cifar10"), "--set")));
        String shown = ConfigYaml.render(ConfigOptions.valuesOf(changed), "shown");
        assertEquals(ConfigOptions.valuesOf(changed), ConfigOptions.valuesOf(ConfigLoader.merge(TrainerConfig.builder().build(),
                List.of(yaml(shown, "shown.yaml")))));
    }

    /** The README's configuration reference is the one ConfigReference writes from the declarations. */
    @Test
    void theReadmeReferenceIsGenerated() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        String begin = "<!-- options: begin (scripts/proxyless config --reference) -->\n";
        String end = "<!-- options: end -->";
        int from = readme.indexOf(begin);
        assertTrue(from >= 0 && readme.indexOf(end, from) > from, "README.md lacks the options markers");
        assertEquals(ConfigReference.markdown(), readme.substring(from + begin.length(), readme.indexOf(end, from)),
                "README.md's reference is generated: scripts/proxyless config --reference");
        for (ConfigOption o : ConfigOptions.ALL) {
            assertTrue(readme.contains("| `" + o.key() + "` |"), o.key());
        }
    }

    @Test
    void yamlSetsNestedArguments() {
        TrainerConfig c = load("""
                num_epochs: 3
                binary_mode: full_v2
                optimizer: {learning_rate: 0.1}
                dataset: {limit: 500}
                model: {width_stages: [8, 16], n_cell_stages: [1, 1], stride_stages: [2, 1], batch_norm: false}
                """);
        assertEquals(3, c.numEpochs());
        assertEquals(BinaryMode.FULL_V2, c.binaryMode());
        assertEquals(0.1, c.optimizer().learningRate());
        assertEquals(0.9f, c.optimizer().momentum());
        assertEquals(500, c.dataset().limit());
        assertEquals(2, c.model().numCells());
        assertEquals(false, c.model().norm().enabled());
    }

    @Test
    void errorsNameTheKey() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> load("batchsize: 3\n"));
        assertTrue(unknown.getMessage().contains("test.yaml") && unknown.getMessage().contains("'batchsize'"));
        assertTrue(unknown.getMessage().contains("did you mean 'batch_size'?"), unknown.getMessage());
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> load("dataset:\n  lable_column: species\n"));
        assertTrue(nested.getMessage().contains("'dataset.lable_column'; did you mean 'label_column'?"), nested.getMessage());
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class, () -> load("colour: blue\n"));
        assertTrue(!far.getMessage().contains("did you mean"), far.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> load("batch_size: many\n"));
        assertTrue(type.getMessage().contains("'batch_size' expects an integer"), type.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> load("batch_size: 0\n"));
        assertTrue(zero.getMessage().contains("batch_size (--batch-size) must be > 0"), zero.getMessage());
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> load("model: {candidate_ops: [k3e3, conv9]}\n"));
        assertTrue(op.getMessage().contains("'conv9'"), op.getMessage());
        IllegalArgumentException reg = assertThrows(IllegalArgumentException.class,
                () -> load("grad_reg_loss_type: add#linear\n"));
        assertTrue(reg.getMessage().contains("applied_hardware"), reg.getMessage());
    }
}
