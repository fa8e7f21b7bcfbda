package io.proxyless.spark.cli;

import io.proxyless.nas.checkpoint.CheckpointStore;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A search that diverges stops with an error naming where, exits non-zero, and keeps its last good checkpoint. */
class DivergenceTest {

    @Test
    void aDivergingSearchStopsAndKeepsItsLastGoodCheckpoint(@TempDir Path out) throws Exception {
        SparkTestSupport.fashionMnist();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "search", "--in-process", "--output", out.toString(), "--limit", "320", "--num-epochs", "2",
                "--batch-size", "32", "--learning-rate", "1e12", "--warmup-learning-rate", "1e12",
                "--checkpoint-every", "1");
        String message = err.toString();
        assertEquals(1, code, message);
        assertTrue(message.contains("the search diverged at ") && message.contains("step "), message);
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        CheckpointStore store = new CheckpointStore(new LocalOutputFolder(out), 3);
        long newest = Long.parseLong(store.newest(Integer.MAX_VALUE - 8L, io.proxyless.nas.checkpoint.SearchCheckpoint::checkFormat).orElseThrow().name().replaceAll("\\D", ""));
        long diverged = Long.parseLong(message.replaceAll("(?s).*diverged at \\w+ step (\\d+).*", "$1"));
        assertTrue(newest < diverged, "checkpoint of step " + newest + ", divergence at step " + diverged);
        java.util.List<String> nonFinite = store.newest(Integer.MAX_VALUE - 8L, io.proxyless.nas.checkpoint.SearchCheckpoint::checkFormat).orElseThrow().file().floats().entrySet().stream()
                .filter(e -> { for (float v : e.getValue()) { if (!Float.isFinite(v)) { return true; } } return false; })
                .map(java.util.Map.Entry::getKey).toList();
        assertTrue(nonFinite.isEmpty(), "the last checkpoint holds non-finite " + nonFinite + "; " + message);
    }
}
