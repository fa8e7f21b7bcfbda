package io.proxyless.spark.source;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.config.OptimizerConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A folder of 32x32 colour PNGs in three classes, read as a notebook user would (Spark's
 * {@code binaryFile} source, the label taken from the path) and searched with the {@code cifar10}
 * preset on two executor JVMs through the builder API: the loss falls and the outputs are complete.
 */
class ColourFolderSearchTest {

    @Test
    void aColourFolderIsSearchedWithTheCifar10Preset(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images");
        TestImages.writeColourFolder(images, List.of("cat", "dog", "ship"), 96, 7);
        Path out = dir.resolve("out");
        TrainerConfig config = TrainerConfig.builder().optModel(MobileNetSpace.cifar10()).set("num_epochs", 4)
                .set("batch_size", 16).set("log_frequency", 3).set("seed", 3)
                .optOptimizer(new OptimizerConfig(0.05, 0.05, 0.9f, true, 4e-5f)).build();
        try (SparkSession spark = SparkSession.builder()
                .config(SparkTestSupport.localCluster(SparkHome.prepare(), "colour folder")).getOrCreate()) {
            Dataset<Row> table = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .load(images.toUri().toString())
                    .withColumn("class", element_at(split(col("path"), "/"), -2));
            SparkSearch.builder(spark).setConfig(config).setData(table).optImageColumn("content").optLabelColumn("class")
                    .optPartitions(2).setOutput(out.toUri().toString()).run();
        }
        for (String file : List.of("architecture.json", "architecture-probs.json", "metrics.jsonl", "run.json", "_SUCCESS")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertEquals("[\"cat\",\"dog\",\"ship\"]", run.get("classes").toString());
        JsonArray mean = run.getAsJsonObject("normalization").getAsJsonArray("mean");
        assertEquals(3, mean.size(), run.toString());
        assertEquals(2, run.get("executors_that_did_work").getAsInt());
        List<JsonObject> weightRecords = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(r -> r.get("phase").getAsString().equals("weight")).toList();
        // A supernet trains each op on a fraction of the steps: its loss falls slower than a network's.
        double first = meanLoss(weightRecords.subList(0, 3));
        double last = meanLoss(weightRecords.subList(weightRecords.size() - 3, weightRecords.size()));
        String records = weightRecords.stream().map(r -> r.get("loss") + "/" + r.get("acc1")).toList().toString();
        assertTrue(last < 0.85 * first, "weight loss/accuracy " + records);
    }

    private static double meanLoss(List<JsonObject> records) {
        return records.stream().mapToDouble(r -> r.get("loss").getAsDouble()).average().orElseThrow();
    }
}
