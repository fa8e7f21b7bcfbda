package io.proxyless.nas.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.metrics.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InProcessSearchTest {

    @Test
    void searchOnRealFashionMnistLowersLossAndWritesCompleteOutputs(@TempDir Path out) throws Exception {
        TrainerConfig config = TestData.smallSearch(960, 6);
        SearchRun.run(config, TestData.loader(config), new LocalOutputFolder(out));

        List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE));
        List<JsonObject> weight = lines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(j -> j.get("phase").getAsString().equals("weight")).toList();
        assertTrue(weight.size() >= 6, "logged weight records: " + weight.size());
        double firstLoss = weight.get(0).get("loss").getAsDouble();
        double lastLoss = weight.get(weight.size() - 1).get("loss").getAsDouble();
        assertTrue(lastLoss < firstLoss - 0.2, "loss should fall: first " + firstLoss + ", last " + lastLoss);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"phase\":\"arch\"")), "architecture steps logged");
        for (String key : List.of("epoch", "step", "phase", "loss", "acc1", "lr", "images_per_s", "top_choices")) {
            assertTrue(weight.get(0).has(key), "metrics record lacks " + key);
        }

        Map<String, List<String>> arch = ArchitectureExport.parseArchitecture(
                Files.readString(out.resolve(ArchitectureExport.ARCHITECTURE)), "architecture.json");
        assertEquals(List.of("s0", "s1", "s2"), List.copyOf(arch.keySet()));
        Map<String, Map<String, Double>> probs = ArchitectureExport.parseProbabilities(
                Files.readString(out.resolve(ArchitectureExport.PROBABILITIES)), "probs");
        assertEquals(4, probs.get("s1").size(), "s1 has three MBConvs and zero");
        for (Map<String, Double> p : probs.values()) {
            assertEquals(1.0, p.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        }
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void sameSeedSameSearch(@TempDir Path out) throws Exception {
        TrainerConfig config = TestData.smallSearch(320, 2).toBuilder().set("warmup_epochs", 0).build();
        List<String> runs = new java.util.ArrayList<>();
        for (String run : List.of("first", "second")) {
            SearchRun.run(config, TestData.loader(config), new LocalOutputFolder(out.resolve(run)));
            runs.add(Files.readString(out.resolve(run).resolve(MetricsLog.FILE)).replaceAll("\"(images_per_s|eta_s)\":[^,]+,", "")
                    + Files.readString(out.resolve(run).resolve(ArchitectureExport.PROBABILITIES)));
        }
        assertEquals(runs.get(0), runs.get(1));
    }
}
