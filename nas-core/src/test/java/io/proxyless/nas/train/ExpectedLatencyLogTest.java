package io.proxyless.nas.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.ArchitectureParameters;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both algorithms log {@code expected_latency_ms} at one point: after the architecture step, so the
 * last record holds the expected latency of the logits the search ends with.
 */
class ExpectedLatencyLogTest {

    private static double lastLoggedAgainstFinal(TrainerConfig config, Path dir) throws Exception {
        SpaceLatency latency = HardwareResolver.resolve(config, path -> "", (h, s, b) -> null);
        ArchitectureParameters end = SearchRun.run(config, TestData.loader(config), new LocalOutputFolder(dir), latency);
        List<JsonObject> arch = Files.readAllLines(dir.resolve(MetricsLog.FILE)).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(r -> r.get("phase").getAsString().equals("arch")).toList();
        double logged = arch.get(arch.size() - 1).get("expected_latency_ms").getAsDouble();
        return logged - latency.expected(end, null);
    }

    @Test
    void theGradientSearchLogsTheLatencyAfterItsStep(@TempDir Path dir) throws Exception {
        TrainerConfig config = TestData.smallSearch(320, 2).toBuilder().set("applied_hardware", "flops")
                .set("grad_reg_loss_type", "add#linear").set("target_latency", 1.2).set("arc_learning_rate", 0.05).build();
        assertEquals(0.0, lastLoggedAgainstFinal(config, dir), 1e-9);
    }

    @Test
    void reinforceLogsTheLatencyAfterItsStep(@TempDir Path dir) throws Exception {
        TrainerConfig config = TestData.smallSearch(320, 2).toBuilder().set("algorithm", "reinforce").set("reinforce_samples", 2)
                .set("applied_hardware", "flops").set("arc_learning_rate", 0.05).build();
        assertEquals(0.0, lastLoggedAgainstFinal(config, dir), 1e-9);
    }
}
