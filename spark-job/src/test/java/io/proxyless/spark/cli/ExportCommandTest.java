package io.proxyless.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.savedmodel.OnnxCheck;
import io.proxyless.nas.savedmodel.OnnxExport;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code export}: a cifar10-preset network retrained on a colour folder runs in ONNX Runtime as in
 * DJL; a folder that is not a whole, consistent model is named, exits 2 and gets no ONNX file.
 */
class ExportCommandTest {

    private static String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(expectedCode, code, "out: " + out + "\nerr: " + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void cifar10NetworkFromAColourFolderRunsInOnnxRuntimeAsInDjl(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("cat", "dog", "ship");
        Path images = dir.resolve("images");
        TestImages.writeColourFolder(images, classes, 40, 11);
        Path model = dir.resolve("model");
        String[] retrain = {"retrain", "--master", "local[2]", "--model", "cifar10", "--uniform", "k3e6", "--data",
                images.toString(), "--num-epochs", "1", "--batch-size", "16", "--output", model.toString()};
        String tooFewClasses = run(2, retrain)[1];
        assertTrue(tooFewClasses.contains("has 3 classes [cat, dog, ship] but the network has 10 outputs")
                && tooFewClasses.contains("--num-classes"), tooFewClasses);
        assertFalse(Files.exists(model.resolve("_SUCCESS")));
        String[] withClasses = java.util.Arrays.copyOf(retrain, retrain.length + 2);
        withClasses[retrain.length] = "--num-classes";
        withClasses[retrain.length + 1] = "3";
        run(0, withClasses);
        assertTrue(Files.isRegularFile(model.resolve(OnnxExport.FILE)), "retrain writes model.onnx");

        Path exported = dir.resolve("exported/network.onnx");
        String out = run(0, "export", "--model", model.toString(), "--output", exported.toString(), "--check")[0];
        assertTrue(out.contains("0 top-1 predictions differ"), out);
        assertTrue(Files.isRegularFile(exported), out);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(model.resolve(OnnxExport.FILE)), Files.readAllBytes(exported)),
                "the same model gives the same file");

        SavedModel saved = SavedModel.load(new LocalFileSource(model));
        OnnxCheck.Result result = OnnxCheck.compare(saved, Files.readAllBytes(exported), folderImages(images, classes), true);
        assertEquals(120, result.images());
        assertEquals(0, result.top1Disagreements(), result.describe());
        assertTrue(result.maxAbsDifference() <= 1e-4, result.describe());

        String again = run(2, "export", "--model", model.toString(), "--output", exported.toString())[1];
        assertTrue(again.contains("network.onnx already exists"), again);
    }

    /** The folder's PNGs as CHW bytes, labelled by their class folder. */
    private static ImageDataset folderImages(Path folder, List<String> classes) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        byte[] pixels = new byte[files.size() * 3 * 32 * 32];
        int[] labels = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage image = ImageIO.read(files.get(i).toFile());
            labels[i] = classes.indexOf(files.get(i).getParent().getFileName().toString());
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int rgb = image.getRGB(x, y);
                    for (int c = 0; c < 3; c++) {
                        pixels[i * 3072 + c * 1024 + y * 32 + x] = (byte) (rgb >> (16 - 8 * c));
                    }
                }
            }
        }
        return new ImageDataset(pixels, labels, new long[files.size()], 3, 32, 32);
    }

    @Test
    void folderThatIsNotAWholeConsistentModelIsNamedAndGetsNoOnnxFile(@TempDir Path dir) throws Exception {
        Path good = TestModels.uniformFashionMnist(dir.resolve("good"), "k3e3");

        Path unfinished = copy(good, dir.resolve("unfinished"));
        Files.delete(unfinished.resolve("_SUCCESS"));
        assertRefused(unfinished, "no _SUCCESS");

        // model.json names a wider space than the tensors were trained for (its own hash is not listed).
        Path mismatched = copy(good, dir.resolve("mismatched"));
        String manifest = Files.readString(mismatched.resolve("model.json"));
        Files.writeString(mismatched.resolve("model.json"), manifest.replaceFirst("\"feature_mix_channels\": \\d+",
                "\"feature_mix_channels\": 24"));
        assertFalse(manifest.equals(Files.readString(mismatched.resolve("model.json"))), manifest);
        assertRefused(mismatched, "has shape");

        // An op the space does not have, with model.json's hash of the file updated to match.
        Path unknownOp = copy(good, dir.resolve("unknown-op"));
        Path arch = unknownOp.resolve("architecture.json");
        String before = Files.readString(arch);
        String after = before.replaceFirst("k3e3", "k9e9");
        Files.writeString(arch, after);
        Files.writeString(unknownOp.resolve("model.json"), Files.readString(unknownOp.resolve("model.json"))
                .replace(sha256(before), sha256(after)));
        assertRefused(unknownOp, "no candidate 'k9e9'");
    }

    private static void assertRefused(Path model, String reason) throws Exception {
        Files.deleteIfExists(model.resolve(OnnxExport.FILE));
        String err = run(2, "export", "--model", model.toString())[1];
        assertTrue(err.contains(reason) && err.contains(model.getFileName().toString()), err);
        assertFalse(Files.exists(model.resolve(OnnxExport.FILE)), "no ONNX file for " + model);
        try (Stream<Path> files = Files.list(model)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".onnx")), "no partial file either");
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
