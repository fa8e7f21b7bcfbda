package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
        return ConfigLoader.apply(map, TrainerConfig.builder(), "test.yaml").build();
    }

    @Test
    void defaultsAreNnis() {
        TrainerConfig c = TrainerConfig.builder().build();
        assertEquals(120, c.numEpochs());
        assertEquals(64, c.batchSize());
        assertEquals(4, c.workers());
        assertEquals(1e-3, c.arcLearningRate());
        assertEquals(0, c.warmupEpochs());
        assertEquals(BinaryMode.TWO, c.binaryMode());
        assertNull(c.gradRegLossType());
        assertArrayEquals(new int[] {1, 1, 28, 28}, c.dummyInput());
        assertEquals(0.025, c.optimizer().learningRate());
    }

    /**
     * conf/defaults.yaml says it equals passing no --config; it set ref_latency: 65.0, which
     * overrode every table's own default (the middle network).
     */
    @Test
    void theDefaultsFileIsTheBuildersDefaults() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("..", "conf", "defaults.yaml");
        TrainerConfig fromFile;
        try (var in = java.nio.file.Files.newInputStream(file)) {
            fromFile = ConfigLoader.apply(ConfigLoader.readYaml(in, file.toString()), TrainerConfig.builder(),
                    file.toString()).build();
        }
        TrainerConfig none = TrainerConfig.builder().build();
        assertNull(fromFile.refLatency(), "ref_latency must stay unset: each table derives its own");
        assertEquals(none.numEpochs(), fromFile.numEpochs());
        assertEquals(none.batchSize(), fromFile.batchSize());
        assertEquals(none.arcLearningRate(), fromFile.arcLearningRate());
        assertEquals(none.labelSmoothing(), fromFile.labelSmoothing());
        assertEquals(none.shards(), fromFile.shards());
        assertEquals(none.optimizer(), fromFile.optimizer());
        assertEquals(none.dataset().trainPortion(), fromFile.dataset().trainPortion());
    }

    /**
     * The command line overrides the file and validation sees only the merged values: a file that is
     * invalid on its own (batch_size 0; applied_hardware without a loss type) is fine once the command
     * line fixes it, for every kind of value: integer, string, number, nested mapping.
     */
    @Test
    void theCommandLineWinsAndOnlyTheMergedValuesAreValidated() {
        Map<String, Object> file = ConfigLoader.readYaml(new ByteArrayInputStream("""
                batch_size: 0
                applied_hardware: flops
                grad_reg_loss_type: none
                arc_learning_rate: -1
                optimizer:
                  learning_rate: 0.5
                  momentum: 0.7
                model:
                  width_stages: [8, 16]
                  n_cell_stages: [1, 1]
                  stride_stages: [2, 2]
                """.getBytes(StandardCharsets.UTF_8)), "file.yaml");
        TrainerConfig.Builder builder = ConfigLoader.apply(file, TrainerConfig.builder(), "file.yaml");
        Map<String, Object> commandLine = new java.util.LinkedHashMap<>();
        commandLine.put("batch_size", "32");
        commandLine.put("grad_reg_loss_type", "add#linear");
        commandLine.put("arc_learning_rate", "0.01");
        commandLine.put("optimizer", Map.of("learning_rate", "0.1"));
        commandLine.put("model", Map.of("n_cell_stages", java.util.List.of(2, 1)));
        TrainerConfig c = ConfigLoader.apply(commandLine, builder, "command line").build();
        assertEquals(32, c.batchSize());
        assertEquals("add#linear", c.gradRegLossType());
        assertEquals("flops", c.appliedHardware());
        assertEquals(0.01, c.arcLearningRate());
        assertEquals(0.1, c.optimizer().learningRate(), "the command line's");
        assertEquals(0.7f, c.optimizer().momentum(), "the file's, not overridden");
        assertArrayEquals(new int[] {2, 1}, c.model().nCellStages());
        assertArrayEquals(new int[] {8, 16}, c.model().widthStages(), "the file's, not overridden");
        // The merged result is still validated, naming the option.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.apply(Map.of("log_frequency", "0"), ConfigLoader.apply(file, TrainerConfig.builder(),
                        "file.yaml"), "command line").build());
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
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
