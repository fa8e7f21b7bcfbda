package io.proxyless.nas.latency;

import io.proxyless.nas.TestData;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.export.ArchitectureExport;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.train.SearchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Same seed and data, growing lambda: the exported networks get cheaper, and a large lambda finds the cheapest. */
class LatencyPressureTest {

    @Test
    void largerLambdaExportsCheaperNetworks(@TempDir Path dir) throws Exception {
        double[] lambdas = {0.0, 0.05, 50.0};
        double[] exported = new double[lambdas.length];
        SpaceLatency latency = null;
        Map<String, String> last = null;
        for (int i = 0; i < lambdas.length; i++) {
            TrainerConfig config = TestData.smallSearch(320, 2).toBuilder()
                    .optWarmupEpochs(0)
                    .optAppliedHardware("flops")
                    .optGradRegLossType("add#linear")
                    .optGradRegLossParams(Map.of("lambda", lambdas[i]))
                    .optArcLearningRate(0.05)
                    .build();
            latency = HardwareResolver.resolve(config, path -> "", (s, b) -> null);
            Path out = dir.resolve("lambda-" + i);
            SearchRun.run(config, TestData.fashionMnist(), new LocalOutputFolder(out), SearchRun.inProcess(config), latency);
            last = ArchitectureExport.parseArchitecture(Files.readString(out.resolve(ArchitectureExport.ARCHITECTURE)), "a");
            exported[i] = latency.of(last, "architecture.json");
            assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"exported_latency_ms\""));
        }
        assertTrue(exported[0] > exported[1] && exported[1] > exported[2],
                "exported MMACs for lambda 0, 0.05, 50: " + java.util.Arrays.toString(exported));
        // The cheapest network: zero where a cell can skip, the cheapest MBConv elsewhere.
        double cheapest = latency.fixed();
        for (double[] costs : latency.cells().values()) {
            cheapest += java.util.Arrays.stream(costs).min().orElseThrow();
        }
        assertEquals(cheapest, exported[2], 1e-9, "lambda 50 exports " + last);
    }
}
