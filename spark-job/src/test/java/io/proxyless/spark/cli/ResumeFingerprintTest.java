package io.proxyless.spark.cli;

import io.proxyless.nas.checkpoint.CheckpointStore;
import io.proxyless.nas.checkpoint.SearchCheckpoint;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resume continues the search that was started, or is refused: it keeps the shard count in effect
 * when the partitions change, and refuses other latency costs or another explicit shard count.
 */
class ResumeFingerprintTest {

    private static String[] search(String... more) {
        return CliTestSupport.extend(CliTestSupport.SMALL_SEARCH, more);
    }

    private static Object[] cli(String... args) {
        return CliTestSupport.cli(args);
    }

    private static void succeeds(String... args) {
        Object[] result = cli(args);
        assertEquals(0, result[0], (String) result[1]);
    }

    private static TensorFile newest(Path run) throws IOException {
        return new CheckpointStore(new LocalOutputFolder(run), 3)
                .newest(Integer.MAX_VALUE - 8L, SearchCheckpoint::checkFormat).orElseThrow().file();
    }

    @Test
    void aSearchOnTwoPartitionsResumedOnOneEndsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path clean = dir.resolve("clean");
        succeeds(search("--master", "local[2]", "--partitions", "2", "--output", clean.toString()));

        // Another explicit shard count is refused, naming the shards.
        Path refused = SparkTestSupport.stoppedCopy(clean, dir.resolve("refused"), 6);
        Object[] other = cli(search("--master", "local[2]", "--partitions", "1", "--shards", "1",
                "--resume", refused.toString()));
        assertEquals(2, other[0]);
        assertTrue(((String) other[1]).contains("shards: recorded 2, now 1"), (String) other[1]);

        // shards: 0 on one partition resumes with the 2 shards recorded, and ends bit for bit as the clean run.
        Path resumed = SparkTestSupport.stoppedCopy(clean, dir.resolve("resumed"), 6);
        succeeds(search("--master", "local[2]", "--partitions", "1", "--resume", resumed.toString()));
        assertEquals(Files.readString(clean.resolve("architecture-probs.json")),
                Files.readString(resumed.resolve("architecture-probs.json")));
        TensorFile a = newest(clean);
        TensorFile b = newest(resumed);
        a.floats().forEach((name, values) -> assertArrayEquals(values, b.floats().get(name), name));
        a.doubles().forEach((name, values) -> assertArrayEquals(values, b.doubles().get(name), name));
    }

    /** A measured cpu table that differs on resume (another machine's) is refused, naming the latency costs. */
    @Test
    void otherLatencyCostsAreRefused(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path cache = dir.resolve("cache");
        Path clean = dir.resolve("clean");
        String[] latency = {"--in-process", "--applied-hardware", "cpu", "--grad-reg-loss-type", "mul#log",
            "--latency-cache", cache.toString()};
        List<String> first = new ArrayList<>(List.of(search("--output", clean.toString())));
        first.addAll(List.of(latency));
        succeeds(first.toArray(String[]::new));
        Path table;
        try (Stream<Path> files = Files.list(cache)) {
            table = files.filter(f -> f.getFileName().toString().startsWith("cpu-")).findFirst().orElseThrow();
        }
        // The same table re-measured elsewhere: every cost a little different.
        var json = com.google.gson.JsonParser.parseString(Files.readString(table)).getAsJsonObject();
        var entries = json.getAsJsonObject("entries");
        entries.entrySet().forEach(e -> e.setValue(new com.google.gson.JsonPrimitive(e.getValue().getAsDouble() * 1.01)));
        Files.writeString(table, json.toString());
        Files.deleteIfExists(table.resolveSibling("." + table.getFileName() + ".crc"));
        Path stopped = SparkTestSupport.stoppedCopy(clean, dir.resolve("stopped"), 6);
        List<String> resume = new ArrayList<>(List.of(search("--resume", stopped.toString())));
        resume.addAll(List.of(latency));
        Object[] refused = cli(resume.toArray(String[]::new));
        assertEquals(2, refused[0]);
        assertTrue(((String) refused[1]).contains("latency_table_sha256: recorded ")
                && ((String) refused[1]).contains("the latency costs differ"), (String) refused[1]);
    }
}
