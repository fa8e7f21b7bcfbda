package io.proxyless.spark.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep --target-latency a,b}: one search per target, each exported network within its
 * target, retrained and scored on the real test images; run again, it reuses every finished setting.
 */
class SweepCommandTest {

    @Test
    void sweepSearchesEachTargetRetrainsAndSkipsWhatIsDone(@TempDir Path dir) throws Exception {
        TrainerConfig small = SparkTestSupport.smallConfig(true, 300, 2, 32).toBuilder().set("applied_hardware", "flops")
                .set("target_latency", 1e9).build();
        SpaceLatency flops = HardwareResolver.resolve(small, path -> "", (h, s, b) -> null);
        double costliest = flops.fixed();
        for (double[] costs : flops.cells().values()) {
            costliest += java.util.Arrays.stream(costs).max().orElseThrow();
        }
        double low = flops.cheapest() + 0.2 * (costliest - flops.cheapest());
        double high = flops.cheapest() + 0.7 * (costliest - flops.cheapest());
        Path config = dir.resolve("small.yaml");
        Files.writeString(config, new Yaml().dump(Map.of("model", ConfigLoader.modelKeys(small.model()),
                "optimizer", Map.of("learning_rate", 0.05))));
        String[] args = {"sweep", "--master", "local[2]", "--config", config.toString(), "--applied-hardware", "flops",
                "--target-latency", String.format(java.util.Locale.ROOT, "%.4f,%.4f", low, high), "--limit", "600",
                "--num-epochs", "2", "--warmup-epochs", "1", "--batch-size", "32", "--retrain-epochs", "3",
                "--output", dir.resolve("sweep").toString()};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args), err.toString());
        assertTrue(out.toString().startsWith("| setting | network | latency |"), out.toString());
        JsonArray rows = JsonParser.parseString(Files.readString(dir.resolve("sweep/sweep.json"))).getAsJsonArray();
        assertEquals(2, rows.size());
        double[] targets = {low, high};
        for (int i = 0; i < 2; i++) {
            JsonObject row = rows.get(i).getAsJsonObject();
            assertTrue(row.get("latency").getAsDouble() <= targets[i] + 1e-9, row + " over " + targets[i]);
            assertEquals(row.get("latency").getAsDouble(), row.get("mmacs").getAsDouble(), 1e-9, "flops prices MMACs");
            assertTrue(row.get("parameters").getAsLong() > 0);
            assertTrue(row.get("top1").getAsDouble() > 0.15, "scored on the test images: " + row);
            String name = row.get("name").getAsString();
            assertTrue(Files.exists(dir.resolve("sweep").resolve(name).resolve("_SUCCESS")));
            assertTrue(Files.exists(dir.resolve("sweep").resolve(name + "-model").resolve("_SUCCESS")));
        }
        String first = Files.readString(dir.resolve("sweep/sweep.json"));
        long before = Files.getLastModifiedTime(dir.resolve("sweep").resolve(rows.get(0).getAsJsonObject()
                .get("name").getAsString()).resolve("run.json")).toMillis();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args), err.toString());
        assertEquals(first, Files.readString(dir.resolve("sweep/sweep.json")), "a second run reuses every setting");
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("sweep").resolve(rows.get(0).getAsJsonObject()
                .get("name").getAsString()).resolve("run.json")).toMillis(), "the finished search was not run again");
    }
}
