package io.proxyless.nas.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.metrics.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code algorithm: reinforce} on real images: sampled networks scored, alpha moved by the policy gradient. */
class ReinforceSearchTest {

    private static TrainerConfig config() {
        return TestData.smallSearch(480, 3).toBuilder().set("algorithm", "reinforce").set("reinforce_samples", 4)
                .set("applied_hardware", "flops").set("arc_learning_rate", 0.05).build();
    }

    @Test
    void reinforceSearchMovesAlphaAndExportsANetwork(@TempDir Path dir) throws Exception {
        TrainerConfig config = config();
        SpaceLatency latency = HardwareResolver.resolve(config, path -> "", (h, s, b) -> null);
        SearchRun.run(config, TestData.loader(config), new LocalOutputFolder(dir), latency);
        List<JsonObject> arch = Files.readAllLines(dir.resolve(MetricsLog.FILE)).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(r -> r.get("phase").getAsString().equals("arch")).toList();
        assertTrue(!arch.isEmpty(), "architecture records");
        assertTrue(arch.get(arch.size() - 1).has("expected_latency_ms"));
        Map<String, Map<String, Double>> probs = ArchitectureExport.parseProbabilities(
                Files.readString(dir.resolve(ArchitectureExport.PROBABILITIES)), "probs");
        double spread = 0;
        for (Map<String, Double> p : probs.values()) {
            double max = p.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double min = p.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            spread = Math.max(spread, max - min);
        }
        assertTrue(spread > 0.02, "the policy gradient moved alpha: largest spread " + spread);
        JsonObject run = JsonParser.parseString(Files.readString(dir.resolve("run.json"))).getAsJsonObject();
        assertTrue(run.get("exported_latency").getAsDouble() > 0);
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
    }

    @Test
    void reinforceRefusesAGradientLossTerm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().toBuilder().set("grad_reg_loss_type", "add#linear").build());
        assertTrue(e.getMessage().contains("reinforce prices latency in its reward"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config().toBuilder().set("algorithm", "evolution").build());
        assertEquals(4, config().reinforceSamples());
    }
}
