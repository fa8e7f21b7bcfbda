package io.proxyless.nas.latency;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.train.SearchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code target_latency}: the exported network meets it, and one no network meets is refused before the search. */
class TargetLatencyTest {

    /**
     * Without a target the latency term barely pulls (lambda 0.001), so the free search exports for accuracy, above the
     * cheapest network, and still reports its expected latency.
     */
    private static TrainerConfig config(Double target) {
        return TestData.smallSearch(320, 2).toBuilder().set("applied_hardware", "flops").set("grad_reg_loss_type", "add#linear")
                .set("grad_reg_loss_params", target == null ? Map.of("lambda", 0.001) : Map.of())
                .set("target_latency", target).set("seed", 2).build();
    }

    @Test
    void theExportedNetworkMeetsTheTarget(@TempDir Path dir) throws Exception {
        SpaceLatency latency = HardwareResolver.resolve(config(null), path -> "", (h, s, b) -> null);
        Path free = dir.resolve("free");
        SearchRun.run(config(null), TestData.loader(config(null)), new LocalOutputFolder(free),
                latency);
        double unconstrained = latency.of(ArchitectureExport.parseArchitecture(
                Files.readString(free.resolve(ArchitectureExport.ARCHITECTURE)), "free"), "free");
        double target = (latency.cheapest() + unconstrained) / 2;
        assertTrue(latency.cheapest() < target && target < unconstrained, latency.cheapest() + " " + unconstrained);
        Path budgeted = dir.resolve("budgeted");
        SearchRun.run(config(target), TestData.loader(config(target)), new LocalOutputFolder(budgeted), latency);
        Map<String, List<String>> exported = ArchitectureExport.parseArchitecture(
                Files.readString(budgeted.resolve(ArchitectureExport.ARCHITECTURE)), "budgeted");
        double met = latency.of(exported, "budgeted");
        assertTrue(met <= target, met + " over the target " + target);
        JsonObject run = JsonParser.parseString(Files.readString(budgeted.resolve("run.json"))).getAsJsonObject();
        assertEquals(target, run.get("target_latency").getAsDouble());
        assertEquals(met, run.get("exported_latency").getAsDouble());
        assertEquals("MMACs", run.get("latency_unit").getAsString());
        // The wall time of each phase, which together make up the search.
        JsonObject phases = run.getAsJsonObject("phase_seconds");
        for (String phase : List.of("data", "warmup_epochs", "search_epochs", "export")) {
            assertTrue(phases.has(phase) && phases.get(phase).getAsDouble() >= 0, phase + " in " + phases);
        }
        assertTrue(phases.get("search_epochs").getAsDouble() > 0, phases.toString());
        // The target steers the search too: its expected latency ends lower, and the metrics show both.
        JsonObject freeLast = lastRecord(free);
        JsonObject budgetedLast = lastRecord(budgeted);
        assertEquals(target, budgetedLast.get("target_latency_ms").getAsDouble());
        assertTrue(!freeLast.has("target_latency_ms"));
        assertTrue(budgetedLast.get("expected_latency_ms").getAsDouble() < freeLast.get("expected_latency_ms").getAsDouble(),
                budgetedLast + " against " + freeLast);
    }

    private static JsonObject lastRecord(Path run) throws java.io.IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        return JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
    }

    @Test
    void aTargetNoNetworkMeetsIsRefusedBeforeTheSearch(@TempDir Path dir) throws Exception {
        SpaceLatency latency = HardwareResolver.resolve(config(null), path -> "", (h, s, b) -> null);
        double tooLow = latency.cheapest() * 0.9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchRun.run(config(tooLow), TestData.loader(config(tooLow)), new LocalOutputFolder(dir), latency));
        assertTrue(e.getMessage().contains("the cheapest costs " + String.format(java.util.Locale.ROOT, "%.6g",
                latency.cheapest())), e.getMessage());
        assertFalse(Files.exists(dir.resolve("metrics.jsonl")), "refused before any step");
        IllegalArgumentException noTable = assertThrows(IllegalArgumentException.class,
                () -> TestData.smallSearch(320, 1).toBuilder().set("target_latency", 3.0).build());
        assertTrue(noTable.getMessage().contains("applied_hardware"), noTable.getMessage());
    }
}
