package io.proxyless.spark.cli;

import com.google.gson.JsonParser;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.latency.FlopsTable;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyCommandsTest {

    private static final String ARCH = "{\"s0\":\"k3e3\",\"s1\":\"zero\",\"s2\":\"k5e6\",\"s3\":\"k7e3\",\"s4\":\"k3e6\",\"s5\":\"zero\"}";

    private static String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(expectedCode, code, "stdout:\n" + out + "\nstderr:\n" + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void predictLatencyWithFlopsPrintsTheTableSum(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("architecture.json");
        Files.writeString(arch, ARCH);
        String out = run(0, "predict-latency", "--arch", arch.toString(), "--applied-hardware", "flops")[0];
        MobileNetSpace space = MobileNetSpace.fashionMnist();
        Map<String, String> chosen = new LinkedHashMap<>();
        JsonParser.parseString(ARCH).getAsJsonObject().entrySet().forEach(e -> chosen.put(e.getKey(), e.getValue().getAsString()));
        double expected = SpaceLatency.of(space, FlopsTable.forSpace(space, 1)).of(ArchitectureExport.fromSingle(chosen), "t");
        assertEquals(expected, Double.parseDouble(out.trim().split(" ")[0]), 1e-5);
        assertTrue(out.contains("MMACs"));

        Files.writeString(arch, ARCH.replace("k7e3", "k9e9"));
        String err = run(2, "predict-latency", "--arch", arch.toString(), "--applied-hardware", "flops")[1];
        assertTrue(err.contains("'k9e9'") && err.contains("s3"), err);
        String device = run(2, "predict-latency", "--arch", arch.toString(), "--applied-hardware", "cortexA76cpu_tflite21")[1];
        assertTrue(device.contains("nn-Meter"), device);
    }

    @Test
    void profiledCpuTableCoversTheSpaceAndPredicts(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("cpu.json");
        run(0, "profile-latency", "--output", table.toString(), "--master", "local[2]");
        var entries = JsonParser.parseString(Files.readString(table)).getAsJsonObject().getAsJsonObject("entries");
        assertTrue(entries.size() >= 20, "ops measured: " + entries.size());
        entries.entrySet().forEach(e -> assertTrue(e.getValue().getAsDouble() > 0, e.getKey()));
        Path arch = dir.resolve("architecture.json");
        Files.writeString(arch, ARCH);
        String out = run(0, "predict-latency", "--arch", arch.toString(), "--applied-hardware", table.toString())[0];
        assertTrue(Double.parseDouble(out.trim().split(" ")[0]) > 0, out);
    }

    @Test
    void cpuTablesAreMeasuredOnceThenReadFromTheCache(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("architecture.json");
        Files.writeString(arch, ARCH);
        Path cache = dir.resolve("cache");
        String first = run(0, "predict-latency", "--arch", arch.toString(), "--applied-hardware", "cpu",
                "--latency-cache", cache.toString())[0];
        try (var files = Files.list(cache)) {
            List<Path> tables = files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
            assertEquals(1, tables.size(), tables.toString());
            assertTrue(tables.get(0).getFileName().toString().startsWith("cpu-1x28x28-b1-"), tables.toString());
        }
        String second = run(0, "predict-latency", "--arch", arch.toString(), "--applied-hardware", "cpu",
                "--latency-cache", cache.toString())[0];
        assertEquals(first, second, "the second prediction reads the cached measurements");
        assertTrue(first.contains("ms (cpu)"), first);
    }

    /** The onnxruntime table: the ops exported to ONNX and timed in ONNX Runtime on the executors, then cached. */
    @Test
    void onnxRuntimeTableIsMeasuredOnTheExecutorsAndCached(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("onnxruntime.json");
        run(0, "profile-latency", "--hardware", "onnxruntime", "--output", table.toString(), "--master", "local[2]");
        var json = JsonParser.parseString(Files.readString(table)).getAsJsonObject();
        assertEquals("onnxruntime", json.get("hardware").getAsString(), json.toString());
        var entries = json.getAsJsonObject("entries");
        assertTrue(entries.size() >= 20, "ops measured: " + entries.size());
        entries.entrySet().forEach(e -> assertTrue(e.getValue().getAsDouble() >= 0, e.getKey()));
        assertTrue(entries.entrySet().stream().anyMatch(e -> e.getValue().getAsDouble() > 0), entries.toString());

        Path arch = dir.resolve("architecture.json");
        Files.writeString(arch, ARCH);
        Path cache = dir.resolve("cache");
        String predicted = run(0, "predict-latency", "--arch", arch.toString(), "--applied-hardware", "onnxruntime",
                "--latency-cache", cache.toString())[0];
        assertTrue(predicted.contains("ms (onnxruntime)") && Double.parseDouble(predicted.trim().split(" ")[0]) > 0,
                predicted);
        try (var files = Files.list(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("onnxruntime-1x28x28-b1-")));
        }
        String refused = run(2, "profile-latency", "--hardware", "flops", "--output",
                dir.resolve("flops.json").toString(), "--master", "local[1]")[1];
        assertTrue(refused.contains("profile-latency measures [cpu, onnxruntime]"), refused);
    }

    @Test
    void searchWithALatencyTermLogsLatencies(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        run(0, "search", "--in-process", "--output", out.toString(), "--limit", "256", "--num-epochs", "1",
                "--batch-size", "32", "--applied-hardware", "flops", "--grad-reg-loss-type", "mul#log");
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"expected_latency_ms\"")), lines.get(0));
        assertTrue(lines.stream().allMatch(l -> l.contains("\"exported_latency_ms\"")), lines.get(0));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }
}
