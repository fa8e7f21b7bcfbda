package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.mobilenet.SpaceLayout;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyTablesTest {

    private static final MobileNetSpace SPACE = MobileNetSpace.fashionMnist();

    /** A table by cell label and candidate name: every candidate priced as given, zero at 0 where left out. */
    @Test
    void tableByCellAndCandidatePricesTheSpaceAsGivenAndNamesWhatItLacks() {
        SpaceLayout layout = new SpaceLayout(SPACE);
        StringBuilder cells = new StringBuilder();
        for (String label : layout.cells().keySet()) {
            List<String> names = layout.candidateNames(label);
            cells.append(cells.length() == 0 ? "" : ",").append('"').append(label).append("\": {");
            int written = 0;
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals("zero")) {
                    continue;
                }
                cells.append(written++ == 0 ? "" : ",").append('"').append(names.get(i)).append("\": ").append(i + 1);
            }
            cells.append('}');
        }
        String json = "{\"hardware\": \"jetson\", \"unit\": \"ms\", \"fixed\": 2.5, \"cells\": {" + cells + "}}";
        SpaceLatency latency = LatencyTables.read(json, "jetson.json", SPACE, null);
        assertEquals("jetson", latency.hardware());
        assertEquals(2.5, latency.fixed());
        for (String label : layout.cells().keySet()) {
            List<String> names = layout.candidateNames(label);
            double[] costs = latency.costs(label);
            for (int i = 0; i < names.size(); i++) {
                assertEquals(names.get(i).equals("zero") ? 0 : i + 1, costs[i], label + " " + names.get(i));
            }
        }
        Map<String, List<String>> uniform = new LinkedHashMap<>();
        layout.cells().keySet().forEach(label -> uniform.put(label, List.of("k3e3")));
        int k3e3 = layout.candidateNames("s0").indexOf("k3e3") + 1;
        assertEquals(2.5 + k3e3 * layout.cells().size(), latency.of(uniform, "uniform k3e3"), 1e-9);

        IllegalArgumentException unknownCell = assertThrows(IllegalArgumentException.class, () -> LatencyTables.read(
                json.replace("\"s0\"", "\"s9\""), "t.json", SPACE, null));
        assertTrue(unknownCell.getMessage().contains("cells.s9: the space has no such cell"), unknownCell.getMessage());
        IllegalArgumentException unknownOp = assertThrows(IllegalArgumentException.class, () -> LatencyTables.read(
                json.replaceFirst("\"k3e3\"", "\"k9e9\""), "t.json", SPACE, null));
        assertTrue(unknownOp.getMessage().contains(".k9e9: the cell has no such candidate"), unknownOp.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> LatencyTables.read(
                json.replaceFirst("\"k3e6\": \\d+,?", ""), "t.json", SPACE, null));
        assertTrue(missing.getMessage().contains(".k3e6 needs a cost"), missing.getMessage());
    }

    @Test
    void flopsAreExactForAKnownOp() {
        // 3x3 stem conv, 1 -> 16 channels, 28x28 stride 1: 28*28*16*1*9 MACs.
        OpShape stem = new SpaceLayout(SPACE).fixed().get(0);
        assertEquals(28 * 28 * 16 * 9 / 1e6, stem.megaMacs(), 1e-12);
        assertEquals("Conv-input:28x28x1-output:28x28x16", stem.key());
        // k3e6 on 16 -> 24 channels, stride 2 at 28x28: expand 28*28*16*96, depthwise 14*14*96*9, project 14*14*96*24.
        OpShape op = new SpaceLayout(SPACE).cells().get("s0").get(1);
        assertEquals("expanded_conv-input:28x28x16-output:14x14x24-expand:6-kernel:3-stride:2-idskip:0", op.key());
        assertEquals((28 * 28 * 16 * 96 + 14 * 14 * 96 * 9 + 14 * 14 * 96 * 24) / 1e6, op.megaMacs(), 1e-12);
        SpaceLatency flops = SpaceLatency.of(SPACE, FlopsTable.forSpace(SPACE, 1));
        assertEquals(0.0, flops.costs("s1")[6], "zero costs nothing");
    }

    @Test
    void authorsYamlImportsAndAMissingKeyIsNamed() {
        StringBuilder yaml = new StringBuilder();
        LatencyTable flops = FlopsTable.forSpace(SPACE, 1);
        flops.entries().forEach((k, v) -> yaml.append(k).append(": {mean: ").append(v * 2).append(", count: 10, var: 0.1}\n"));
        SpaceLatency table = LatencyTables.read(yaml.toString(), "authors.yaml", SPACE, null);
        SpaceLatency reference = SpaceLatency.of(SPACE, flops);
        assertEquals(2 * reference.fixed(), table.fixed(), 1e-9);
        assertEquals(2 * reference.costs("s3")[2], table.costs("s3")[2], 1e-9);

        String missing = yaml.toString().lines().filter(l -> !l.startsWith("Conv_1-")).reduce("", (a, b) -> a + b + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyTables.read(missing, "authors.yaml", SPACE, null));
        assertTrue(e.getMessage().contains("'Conv_1-input:7x7x80-output:7x7x160'"), e.getMessage());
    }

    @Test
    void nniLatencyTableImportsPerLabelAndIndex() {
        StringBuilder yaml = new StringBuilder("- applied_hardware: cortexA76cpu_tflite21\n  latency_table:\n");
        yaml.append("    stationary_block: {root: 4.5}\n");
        for (int cell = 0; cell < 6; cell++) {
            yaml.append("    s").append(cell).append(": {");
            for (int i = 0; i < 6; i++) {
                yaml.append(i == 0 ? "" : ", ").append(i).append(": ").append(cell + i * 0.5);
            }
            yaml.append("}\n");
        }
        SpaceLatency table = LatencyTables.read(yaml.toString(), "latency_table.yaml", SPACE, "cortexA76cpu_tflite21");
        assertEquals(4.5, table.fixed());
        assertEquals(3 + 2.5, table.costs("s3")[5]);
        Map<String, String> arch = new LinkedHashMap<>();
        for (int cell = 0; cell < 6; cell++) {
            arch.put("s" + cell, cell % 2 == 1 ? "zero" : "k3e3");
        }
        assertEquals(4.5 + 0 + 2 + 4, table.of(ArchitectureExport.fromSingle(arch), "arch"), 1e-12);
    }

    @Test
    void csvRowsAreCheckedAndNnMeterDevicesNeedATable() {
        IllegalArgumentException csv = assertThrows(IllegalArgumentException.class,
                () -> LatencyTables.read("key,ms\nConv-input:28x28x1-output:28x28x16,abc\n", "t.csv", SPACE, null));
        assertTrue(csv.getMessage().contains("t.csv: row 2"), csv.getMessage());
        TrainerConfig config = TrainerConfig.builder().set("applied_hardware", "adreno640gpu_tflite21")
                .set("grad_reg_loss_type", "add#linear").build();
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> HardwareResolver.resolve(config, path -> "", (h, s, b) -> null));
        assertTrue(device.getMessage().contains("nn-Meter") && device.getMessage().contains("latency_table"),
                device.getMessage());
    }

    @Test
    void referenceDefaultsPerHardware() throws Exception {
        TrainerConfig flops = TrainerConfig.builder().set("applied_hardware", "flops").set("grad_reg_loss_type", "add#linear").build();
        SpaceLatency latency = HardwareResolver.resolve(flops, path -> "", (h, s, b) -> null);
        Map<String, String> middle = new LinkedHashMap<>();
        for (int cell = 0; cell < 6; cell++) {
            middle.put("s" + cell, "k5e3");
        }
        assertEquals(latency.of(ArchitectureExport.fromSingle(middle), "middle"),
                HardwareResolver.defaultReference(flops, latency), 1e-9);
        // A measured table in ms: the middle network too, not NNI's fixed 65 ms (15x the networks measured here).
        Map<String, double[]> costs = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (int cell = 0; cell < 6; cell++) {
            costs.put("s" + cell, new double[] {0.2, 0.3, 0.4 + cell, 0.5, 0.6, 0.7, 0});
            names.put("s" + cell, List.of("k3e3", "k3e6", "k5e3", "k5e6", "k7e3", "k7e6", "zero"));
        }
        SpaceLatency ms = new SpaceLatency("cpu", "ms", 1.5, costs, names);
        double middleMs = 1.5;
        for (int cell = 0; cell < 6; cell++) {
            middleMs += 0.4 + cell;
        }
        assertEquals(middleMs, HardwareResolver.defaultReference(flops, ms), 1e-12);
        TrainerConfig cpu = TrainerConfig.builder().set("applied_hardware", "cpu").set("grad_reg_loss_type", "add#linear").build();
        assertEquals(middleMs, HardwareResolver.defaultReference(cpu, ms), 1e-12);
    }
}
