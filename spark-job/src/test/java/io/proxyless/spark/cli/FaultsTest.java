package io.proxyless.spark.cli;

import io.proxyless.nas.checkpoint.CheckpointStore;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.io.OutputLock;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults from outside a running search: a second search on the same folder, a full disk, SIGTERM.
 * Each ends with one {@code proxyless: error:} line saying what happened and what is kept, leaves no
 * partial file, loses nothing already written, and the search resumes.
 */
class FaultsTest {

    private static String[] search(String... more) {
        return CliTestSupport.extend(CliTestSupport.SMALL_SEARCH, more);
    }

    private static Object[] cli(String... args) {
        return CliTestSupport.cli(args);
    }

    private static List<String> errorLines(String err) {
        return err.lines().filter(l -> l.startsWith("proxyless: error:")).toList();
    }

    private static List<String> partialFiles(Path run) throws Exception {
        try (Stream<Path> files = Files.walk(run)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(".partial"))
                    .toList();
        }
    }

    @Test
    void aSecondSearchOnTheSameFolderIsRefusedAtOnceAndTheFirstKeepsIt(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path out = dir.resolve("shared");
        CompletableFuture<Object[]> first = CompletableFuture.supplyAsync(
                () -> cli(search("--in-process", "--set", "seed=0", "--output", out.toString())));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(out.resolve(OutputLock.FILE)) && !first.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Object[] second = cli(search("--in-process", "--set", "seed=1", "--output", out.toString()));
        assertEquals(2, second[0], (String) second[1]);
        assertTrue(((String) second[1]).contains("is in use by another run (search process "), (String) second[1]);
        Object[] done = first.get(3, TimeUnit.MINUTES);
        assertEquals(0, done[0], (String) done[1]);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"seed\": \"0\"")
                || Files.readString(out.resolve("run.json")).contains("\"seed\": 0"), "the first run's results");
        assertFalse(Files.exists(out.resolve(OutputLock.FILE)), "released at the end");
    }

    /** /dev/full fails every write with ENOSPC, as a full disk does; the exported architecture is linked to it. */
    @Test
    void aFullDiskEndsWithOneLineAndTheSearchResumes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full to simulate a full disk");
        SparkTestSupport.fashionMnist();
        Path out = dir.resolve("full");
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("architecture.json"), Path.of("/dev/full"));
        Object[] full = cli(search("--in-process", "--output", out.toString()));
        String err = (String) full[1];
        assertEquals(1, full[0], err);
        assertEquals(1, errorLines(err).size(), err);
        assertTrue(errorLines(err).get(0).contains("the disk is full") && err.contains("No space left on device")
                && err.contains("continue the search with --resume " + out), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertEquals(List.of(), partialFiles(out));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        // Space freed: the search goes on from its last checkpoint.
        Files.delete(out.resolve("architecture.json"));
        Object[] resumed = cli(search("--in-process", "--resume", out.toString()));
        assertEquals(0, resumed[0], (String) resumed[1]);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void sigtermEndsWithOneLineAndTheSearchResumes(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path out = dir.resolve("terminated");
        List<String> command = SparkTestSupport.javaCommand(Main.class);
        command.addAll(List.of(search("--master", "local[2]", "--output", out.toString())));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("terminated.log").toFile()).start();
        CheckpointStore store = new CheckpointStore(new LocalOutputFolder(out), 3);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (store.names().isEmpty() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(process.isAlive(), Files.readString(dir.resolve("terminated.log")));
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("terminated.log"));
        assertEquals(1, errorLines(log).size(), log);
        assertTrue(errorLines(log).get(0).contains("stopped by a termination signal (SIGTERM)")
                && errorLines(log).get(0).contains("continue the search with --resume " + out), log);
        assertFalse(log.contains("ended before step"), log);
        assertEquals(List.of(), partialFiles(out));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        Object[] resumed = cli(search("--master", "local[2]", "--resume", out.toString()));
        assertEquals(0, resumed[0], (String) resumed[1]);
    }
}
