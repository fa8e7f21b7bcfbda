package io.proxyless.spark.job;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One of two executor JVMs killed with SIGKILL in the middle of a search: Spark reruns its tasks and
 * rebuilds its cached data partitions from their lineage on the other executor (and on the one the
 * worker starts in its place), and the search ends exactly as a clean run does, since every shard
 * computes the same bits wherever it runs and shards add up in shard order.
 */
class ExecutorLossTest {

    private static SparkSession session(Path home) {
        return SparkSession.builder().config(SparkTestSupport.localCluster(home, "proxyless executor-loss test")).getOrCreate();
    }

    private static Optional<ProcessHandle> anExecutor() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .findFirst();
    }

    @Test
    void aSearchSurvivesALostExecutorWithTheCleanResult(@TempDir Path dir) throws Exception {
        Path home = SparkHome.prepare();
        TrainerConfig config = SparkTestSupport.smallConfig(true, 640, 2, 32).toBuilder().set("shards", 2).set("log_frequency", 2)
                .build();
        Path faulty = dir.resolve("faulty");
        try (SparkSession spark = session(home)) {
            CompletableFuture<Void> search = CompletableFuture.runAsync(() -> {
                try {
                    SparkSearch.builder(spark).setConfig(config).setOutput(new LocalOutputFolder(faulty)).optPartitions(2).run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Path metrics = faulty.resolve("metrics.jsonl");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!(Files.exists(metrics) && Files.size(metrics) > 0) && !search.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            ProcessHandle executor = anExecutor().orElseThrow(() -> new AssertionError("no executor JVM to kill"));
            assertTrue(!search.isDone(), "the search ended before an executor could be killed");
            executor.destroyForcibly();
            assertTrue(executor.onExit().get(30, TimeUnit.SECONDS) != null);
            search.get(5, TimeUnit.MINUTES);
        }
        Path clean = dir.resolve("clean");
        try (SparkSession spark = session(home)) {
            SparkSearch.builder(spark).setConfig(config).setOutput(new LocalOutputFolder(clean)).optPartitions(2).run();
        }
        for (String file : List.of("architecture.json", "architecture-probs.json", "_SUCCESS")) {
            assertEquals(Files.readString(clean.resolve(file)), Files.readString(faulty.resolve(file)), file);
        }
        assertEquals(SparkTestSupport.metricsWithoutTimings(clean.resolve("metrics.jsonl")),
                SparkTestSupport.metricsWithoutTimings(faulty.resolve("metrics.jsonl")));
        JsonObject run = JsonParser.parseString(Files.readString(faulty.resolve("run.json"))).getAsJsonObject();
        assertTrue(run.getAsJsonArray("executor_ids").size() >= 2, run.toString());
    }

}
