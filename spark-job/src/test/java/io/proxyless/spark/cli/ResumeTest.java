package io.proxyless.spark.cli;

import com.google.gson.JsonParser;
import io.proxyless.nas.checkpoint.CheckpointStore;
import io.proxyless.nas.checkpoint.TensorFile;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search whose JVM is killed with SIGKILL in the middle of an epoch resumes from its newest
 * checkpoint and ends exactly where an uninterrupted run of the same seed ends.
 */
class ResumeTest {

    /** 3 epochs of 10 weight steps; a checkpoint every 3 steps and at each epoch end. */
    private static final List<String> SEARCH = List.of("search", "--in-process", "--limit", "640", "--num-epochs", "3",
            "--warmup-epochs", "1", "--batch-size", "32", "--log-frequency", "2", "--checkpoint-every", "3", "--seed", "4");

    private static String[] search(String... more) {
        return CliTestSupport.extend(SEARCH, more);
    }

    private static Object[] cli(String... args) {
        return CliTestSupport.cli(args);
    }

    @Test
    void aSearchKilledMidEpochResumesToTheUninterruptedResult(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path killed = dir.resolve("killed");
        List<String> command = SparkTestSupport.javaCommand(Main.class);
        command.addAll(List.of(search("--output", killed.toString())));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile()).start();
        CheckpointStore store = new CheckpointStore(new LocalOutputFolder(killed), 3);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (store.names().size() < 2 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("killed.log"));
        assertEquals(137, process.exitValue(), "killed by SIGKILL before it finished:\n" + log);
        assertFalse(Files.exists(killed.resolve("_SUCCESS")));
        List<String> names = store.names();
        assertTrue(names.size() >= 2, "checkpoints at the kill: " + names);
        long newestStep = Long.parseLong(names.get(names.size() - 1).replaceAll("\\D", ""));
        assertTrue(newestStep % 10 != 0, "the newest checkpoint is mid-epoch: step " + newestStep);
        List<String> beforeResume = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertFalse(beforeResume.isEmpty(), "records reported before the kill were lost");

        // Without --resume, the partial run is refused, and nothing in it changes.
        Object[] refused = cli(search("--output", killed.toString()));
        assertEquals(2, refused[0]);
        assertTrue(((String) refused[1]).contains("--resume ") && ((String) refused[1]).contains(killed.toString()),
                (String) refused[1]);
        assertEquals(beforeResume, Files.readAllLines(killed.resolve("metrics.jsonl")));
        // With another configuration, resuming is refused, naming the first difference.
        List<String> otherSeed = new ArrayList<>(SEARCH);
        otherSeed.set(otherSeed.size() - 1, "5");
        otherSeed.addAll(List.of("--resume", killed.toString()));
        Object[] mismatch = cli(otherSeed.toArray(String[]::new));
        assertEquals(2, mismatch[0]);
        assertTrue(((String) mismatch[1]).contains("seed: recorded 4, now 5"), (String) mismatch[1]);

        assertEquals(0, cli(search("--resume", killed.toString()))[0]);
        Path clean = dir.resolve("clean");
        assertEquals(0, cli(search("--output", clean.toString()))[0]);

        for (String file : List.of("architecture.json", "architecture-probs.json")) {
            assertEquals(Files.readString(clean.resolve(file)), Files.readString(killed.resolve(file)), file);
        }
        List<String> resumedMetrics = SparkTestSupport.metricsWithoutTimings(killed.resolve("metrics.jsonl"));
        List<String> cleanMetrics = SparkTestSupport.metricsWithoutTimings(clean.resolve("metrics.jsonl"));
        assertEquals(cleanMetrics, resumedMetrics, "metrics.jsonl");
        assertTrue(resumedMetrics.size() > beforeResume.size());
        // What the kill left is the clean run's first records, every one up to the newest checkpoint among them.
        List<String> left = SparkTestSupport.metricsWithoutTimings(beforeResume);
        assertEquals(cleanMetrics.subList(0, left.size()), left);
        long upToCheckpoint = cleanMetrics.stream()
                .filter(r -> JsonParser.parseString(r).getAsJsonObject().get("step").getAsLong() <= newestStep).count();
        assertTrue(left.size() >= upToCheckpoint, left.size() + " records left, " + upToCheckpoint + " by step " + newestStep);
        TensorFile a = newest(clean);
        TensorFile b = newest(killed);
        assertEquals(a.floats().keySet(), b.floats().keySet());
        a.floats().forEach((name, values) -> assertArrayEquals(values, b.floats().get(name), name));
        a.doubles().forEach((name, values) -> assertArrayEquals(values, b.doubles().get(name), name));
        assertTrue(a.floats().keySet().stream().anyMatch(n -> n.startsWith("sgd/")), "momentum is checkpointed");
        assertTrue(a.doubles().keySet().stream().anyMatch(n -> n.startsWith("adam_m/")), "Adam's moments are checkpointed");
    }

    private static TensorFile newest(Path run) throws IOException {
        return new CheckpointStore(new LocalOutputFolder(run), 3).newest(Integer.MAX_VALUE - 8L, io.proxyless.nas.checkpoint.SearchCheckpoint::checkFormat).orElseThrow().file();
    }
}
