package io.proxyless.spark.source;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.checkpoint.CheckpointStore;
import io.proxyless.nas.checkpoint.TensorFile;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same 2,000 real Fashion-MNIST rows as IDX, as Parquet (3 files, rows reversed) and as a PNG
 * folder, each found by {@code --data} alone, searched with the same seed in local mode and on two
 * executor JVMs: all six runs split the same rows the same way and end the same, to the bit.
 */
class DataFormatsTest {

    @TempDir
    static Path dir;

    private static final List<String> FORMATS = List.of("idx", "parquet", "png");

    @BeforeAll
    static void writeData() throws Exception {
        TestImages.Rows rows = TestImages.fashionMnist(2000);
        TestImages.writeIdx(dir.resolve("idx"), rows);
        TestImages.writePngFolder(dir.resolve("png"), rows);
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            TestImages.writeParquet(spark, dir.resolve("parquet"), rows, 3);
        }
    }

    private static TrainerConfig config(String format) {
        TrainerConfig base = SparkTestSupport.smallConfig(true, 600, 1, 50);
        return base.toBuilder().set("shards", 2).set("checkpoint_every", 1000)
                .optDataset(base.dataset().withPath(dir.resolve(format).toString())).build();
    }

    @Test
    void everyFormatOnEveryClusterGivesTheSameSearch() throws Exception {
        Map<String, Path> outputs = new LinkedHashMap<>();
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            for (String format : FORMATS) {
                Path out = dir.resolve("out-local-" + format);
                SparkSearch.builder(spark).setConfig(config(format)).setOutput(new LocalOutputFolder(out)).run();
                outputs.put("local " + format, out);
            }
        }
        // Executors compute with as many libtorch threads as this JVM: the thread count changes rounding.
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "1");
        try (SparkSession spark = SparkSession.builder()
                .config(SparkTestSupport.localCluster(SparkHome.prepare(), "data formats")
                        .set("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads="
                                + threads + " -Dai.djl.pytorch.num_interop_threads=1"))
                .getOrCreate()) {
            for (String format : FORMATS) {
                Path out = dir.resolve("out-cluster-" + format);
                SparkSearch.builder(spark).setConfig(config(format)).setOutput(out.toUri().toString()).run();
                outputs.put("local-cluster " + format, out);
            }
        }
        Path reference = outputs.get("local idx");
        JsonObject referenceRun = run(reference);
        assertEquals(300, referenceRun.get("weight_split_images").getAsInt());
        assertTrue(referenceRun.get("source").getAsString().startsWith("IDX folder"), referenceRun.toString());
        TensorFile referenceState = newest(reference);
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            Path out = e.getValue();
            assertTrue(Files.exists(out.resolve("_SUCCESS")), e.getKey());
            JsonObject run = run(out);
            for (String key : List.of("weight_split_images", "architecture_split_images", "classes", "normalization")) {
                assertEquals(referenceRun.get(key), run.get(key), e.getKey() + ": " + key);
            }
            assertEquals(dataWithoutSource(referenceState), dataWithoutSource(newest(out)),
                    e.getKey() + ": the same rows in the same splits");
            assertEquals(Files.readString(reference.resolve("architecture.json")),
                    Files.readString(out.resolve("architecture.json")), e.getKey());
            TensorFile state = newest(out);
            assertEquals(referenceState.floats().keySet(), state.floats().keySet());
            for (Map.Entry<String, float[]> t : referenceState.floats().entrySet()) {
                float[] a = t.getValue();
                float[] b = state.floats().get(t.getKey());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-6f + 1e-5f * Math.abs(a[i]), e.getKey() + ": " + t.getKey() + "[" + i + "]");
                }
            }
            assertEquals(SparkTestSupport.metricsWithoutTimings(reference.resolve("metrics.jsonl")),
                    SparkTestSupport.metricsWithoutTimings(out.resolve("metrics.jsonl")), e.getKey());
        }
        assertTrue(run(outputs.get("local-cluster png")).get("executors_that_did_work").getAsInt() == 2);
    }

    private static JsonObject run(Path out) throws Exception {
        return JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
    }

    private static TensorFile newest(Path out) throws Exception {
        return new CheckpointStore(new LocalOutputFolder(out), 3).newest(Integer.MAX_VALUE - 8L, io.proxyless.nas.checkpoint.SearchCheckpoint::checkFormat).orElseThrow().file();
    }

    private static JsonObject dataWithoutSource(TensorFile checkpoint) {
        JsonObject data = JsonParser.parseString(checkpoint.metadata().get("data")).getAsJsonObject();
        data.remove("source");
        return data;
    }
}
