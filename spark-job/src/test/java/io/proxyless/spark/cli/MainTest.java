package io.proxyless.spark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void quickstartSearchRunsEndToEndThroughTheCli(@TempDir Path out) throws IOException {
        int code = Main.run("search", "--config", ROOT.resolve("conf/quickstart.yaml").toString(),
                "--output", out.toUri().toString(), "--limit", "256", "--num-epochs", "1", "--warmup-epochs", "0",
                "--batch-size", "32");
        assertEquals(0, code);
        for (String file : new String[] {"architecture.json", "architecture-probs.json", "metrics.jsonl", "_SUCCESS"}) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        assertEquals(2, Main.run("search", "--output", out.toString(), "--limit", "256", "--num-epochs", "1"),
                "a finished output is not overwritten");
    }

    @Test
    void badInputExitsNonZeroWithoutSuccessMarker(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(data.resolve("train-images-idx3-ubyte.gz")))) {
            o.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 9});
        }
        try (OutputStream o = Files.newOutputStream(data.resolve("train-labels-idx1-ubyte"))) {
            o.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        }
        Path out = dir.resolve("out");
        assertEquals(2, Main.run("search", "--data", data.toString(), "--output", out.toString()));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        // Real files, the images cut short: the decompressor's error names no file, the CLI's does.
        Path truncated = dir.resolve("truncated");
        Files.createDirectories(truncated);
        Path real = io.proxyless.spark.SparkTestSupport.FASHION_MNIST;
        byte[] images = Files.readAllBytes(real.resolve("train-images-idx3-ubyte.gz"));
        Files.write(truncated.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(images, images.length / 3));
        Files.copy(real.resolve("train-labels-idx1-ubyte.gz"), truncated.resolve("train-labels-idx1-ubyte.gz"));
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, Main.run(new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true),
                "search", "--in-process", "--data", truncated.toString(), "--output", out.toString()));
        assertTrue(err.toString().contains("train-images-idx3-ubyte.gz: "), err.toString());
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        assertEquals(2, Main.run("search", "--output", out.toString(), "--batch-size", "-4"));
        assertEquals(2, Main.run("search", "--output", out.toString(), "--config", dir.resolve("missing.yaml").toString()));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
    }
}
