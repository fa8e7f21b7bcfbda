package io.proxyless.nas.latency;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed and data, growing lambda: the exported networks get cheaper, and a large lambda finds the cheapest.
 *
 * <p>A ten-step search is chaotic: a different CPU or thread count changes the float order, hence the
 * sampled paths, hence which op a cross-entropy-driven cell ends on. So each lambda runs over the same
 * four seeds and the test compares the summed exported cost; one seed alone can tie by chance. In
 * mode {@code two} the latency term moves only the sampled pair of each cell, so a cell's cheapest op
 * gains only in the steps whose pair holds it: four epochs (20 architecture steps) let lambda 50 reach
 * the cheapest network on every seed.
 */
class LatencyPressureTest {

    private static final long[] SEEDS = {1, 2, 3, 4};

    @Test
    void largerLambdaExportsCheaperNetworks(@TempDir Path dir) throws Exception {
        double[] lambdas = {0.0, 0.05, 50.0};
        double[] exportedSum = new double[lambdas.length];
        double[][] exported = new double[lambdas.length][SEEDS.length];
        SpaceLatency latency = null;
        for (int i = 0; i < lambdas.length; i++) {
            for (int s = 0; s < SEEDS.length; s++) {
                TrainerConfig config = TestData.smallSearch(320, 4).toBuilder()
                        .set("warmup_epochs", 0)
                        .set("applied_hardware", "flops")
                        .set("grad_reg_loss_type", "add#linear")
                        .set("grad_reg_loss_params", Map.of("lambda", lambdas[i]))
                        .set("arc_learning_rate", 0.05)
                        .set("seed", SEEDS[s])
                        .build();
                latency = HardwareResolver.resolve(config, path -> "", (hardware, shape, batch) -> null);
                Path out = dir.resolve("lambda-" + i + "-seed-" + SEEDS[s]);
                SearchRun.run(config, TestData.loader(config), new LocalOutputFolder(out), latency);
                Map<String, List<String>> chosen = ArchitectureExport.parseArchitecture(
                        Files.readString(out.resolve(ArchitectureExport.ARCHITECTURE)), "architecture.json");
                exported[i][s] = latency.of(chosen, "architecture.json");
                exportedSum[i] += exported[i][s];
                assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"exported_latency_ms\""));
            }
        }
        String table = "exported MMACs per seed " + Arrays.toString(SEEDS) + " for lambda " + Arrays.toString(lambdas)
                + ": " + Arrays.deepToString(exported);
        assertTrue(exportedSum[0] > exportedSum[1] && exportedSum[1] > exportedSum[2], table);
        // The cheapest network: zero where a cell can skip, the cheapest MBConv elsewhere.
        double cheapest = latency.fixed();
        for (double[] costs : latency.cells().values()) {
            cheapest += Arrays.stream(costs).min().orElseThrow();
        }
        for (int s = 0; s < SEEDS.length; s++) {
            assertEquals(cheapest, exported[2][s], 1e-9, "lambda 50, seed " + SEEDS[s] + "; " + table);
        }
    }
}
