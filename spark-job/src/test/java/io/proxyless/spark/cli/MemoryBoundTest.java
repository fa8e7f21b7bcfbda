package io.proxyless.spark.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.data.HostileImages;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.model.WeightInitializer;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bomb-like files against a 1 GiB heap: an IDX header declaring 2^31-1 images, a PNG declaring
 * 40000x40000 pixels (1.6 GB decoded), a 3 GB checkpoint, a model.json with a 50 MB string. Each is
 * refused, or skipped, with an error naming it, never with an OutOfMemoryError.
 */
class MemoryBoundTest {

    @TempDir
    static Path dir;

    /** Runs the CLI in a new JVM of 1 GiB heap; returns its exit code and output. */
    private static Object[] smallJvm(String... args) throws Exception {
        List<String> command = new ArrayList<>(SparkTestSupport.javaCommand(Main.class).stream()
                .filter(a -> !a.startsWith("-Xmx") && !a.startsWith("-Xms")).toList());
        command.add(1, "-Xmx1g");
        // The launchers' logging: warnings (a skipped checkpoint) reach the console.
        command.add(2, "-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties").toAbsolutePath().normalize());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "jvm", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished");
        String out = Files.readString(log);
        assertFalse(out.contains("OutOfMemoryError"), out);
        return new Object[] {process.exitValue(), out};
    }

    private static String refused(String... args) throws Exception {
        Object[] result = smallJvm(args);
        assertEquals(2, result[0], (String) result[1]);
        return (String) result[1];
    }

    @Test
    void anIdxHeaderDeclaringTwoBillionImagesIsRefused() throws Exception {
        Path idx = dir.resolve("idx-bomb");
        Files.createDirectories(idx);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(idx.resolve("train-images-idx3-ubyte.gz"))))) {
            out.writeInt(0x803);
            out.writeInt(Integer.MAX_VALUE);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[1 << 20]);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(idx.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(Integer.MAX_VALUE);
        }
        for (String mode : new String[] {"--in-process", "--master=local[2]"}) {
            String out = refused("search", mode, "--data", idx.toString(), "--output", dir.resolve("out-idx" + mode.length())
                    .toString());
            assertTrue(out.contains("the header declares 2147483647 records") && out.contains("idx-bomb/train-"), out);
        }
    }

    @Test
    void aPngDeclaringFortyThousandSquaredPixelsIsRefused() throws Exception {
        Path folder = dir.resolve("png-bomb");
        TestImages.writePngFolder(folder, TestImages.fashionMnist(60));
        HostileImages.writePngBomb(folder.resolve("4").resolve("bomb.png"), 40000, 40000);
        assertTrue(Files.size(folder.resolve("4").resolve("bomb.png")) < 4_000_000);
        String out = refused("search", "--master", "local[2]", "--data", folder.toString(), "--output",
                dir.resolve("out-png").toString(), "--num-epochs", "1");
        assertTrue(out.contains("bomb.png: the image declares 40000x40000 pixels"), out);
    }

    @Test
    void aThreeGigabyteCheckpointIsSkippedForTheValidOneBeforeIt() throws Exception {
        SparkTestSupport.fashionMnist();
        List<String> search = List.of("search", "--in-process", "--limit", "320", "--num-epochs", "2", "--warmup-epochs",
                "1", "--batch-size", "32", "--checkpoint-every", "3");
        Path clean = dir.resolve("clean");
        List<String> first = new ArrayList<>(search);
        first.addAll(List.of("--output", clean.toString()));
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                first.toArray(String[]::new)), err.toString());
        Path stopped = SparkTestSupport.stoppedCopy(clean, dir.resolve("stopped"), 6);
        Path bomb = stopped.resolve("checkpoints/step-000000000009.ckpt");
        try (RandomAccessFile huge = new RandomAccessFile(bomb.toFile(), "rw")) {
            huge.setLength(3L << 30);
        }
        Files.writeString(stopped.resolve("checkpoints/LATEST"), "checkpoints/step-000000000009.ckpt");
        List<String> resume = new ArrayList<>(search);
        resume.addAll(List.of("--resume", stopped.toString()));
        Object[] result = smallJvm(resume.toArray(String[]::new));
        String out = (String) result[1];
        assertEquals(0, result[0], out);
        assertTrue(out.contains("Skipping checkpoint " + bomb.toUri().toString().replace("file:///", "file:/"))
                || out.contains("Skipping checkpoint file:" + bomb), out);
        assertTrue(out.contains("3221225472 bytes, more than the"), out);
        assertTrue(out.contains("resuming from") && out.contains("step-000000000006.ckpt"), out);
        assertEquals(Files.readString(clean.resolve("architecture-probs.json")),
                Files.readString(stopped.resolve("architecture-probs.json")));
    }

    @Test
    void aModelJsonWithAFiftyMegabyteStringIsRefused() throws Exception {
        SparkTestSupport.fashionMnist();
        Path model = io.proxyless.spark.TestModels.uniformFashionMnist(dir.resolve("model"), "k3e3");
        JsonObject manifest = JsonParser.parseString(Files.readString(model.resolve(SavedModel.MODEL))).getAsJsonObject();
        manifest.addProperty("format", "x".repeat(50 << 20));
        Files.writeString(model.resolve(SavedModel.MODEL), manifest.toString());
        String out = refused("evaluate", "--in-process", "--model", model.toString(), "--data",
                SparkTestSupport.FASHION_MNIST.toString());
        assertTrue(out.contains("model.json: ") && out.contains("a model.json may have"), out);
    }
}
