package io.proxyless.spark.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.model.WeightInitializer;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.nas.space.SpaceConfig;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model folder altered by hand or by an attacker: each {@code model.json} that is too large, lacks a
 * key or declares a space too big to build is refused from the file itself, before anything is
 * allocated, with a message naming the file and the key.
 */
class HostileModelFilesTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        SpaceConfig space = SpaceConfig.fashionMnist();
        try (Supernet supernet = Supernet.of(space)) {
            ChildArchitecture child = ChildArchitecture.uniform(supernet.choices(), "k3e3");
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ParameterInfo info : child.parameters(supernet.parameterInfos())) {
                values.put(info.name(), WeightInitializer.initialValue(info, 1));
            }
            model = dir.resolve("model");
            new SavedModel(space, child.chosen(), new Normalization(new float[] {0.29f}, new float[] {0.35f}),
                    io.proxyless.nas.train.InProcessData.integerClassNames(10), values, Map.of())
                    .write(new LocalOutputFolder(model));
        }
    }

    /** A copy of the model whose model.json {@code edit} changed. */
    private static Path altered(String name, Consumer<JsonObject> edit) throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        JsonObject manifest = JsonParser.parseString(Files.readString(copy.resolve(SavedModel.MODEL))).getAsJsonObject();
        edit.accept(manifest);
        Files.writeString(copy.resolve(SavedModel.MODEL), manifest.toString());
        return copy;
    }

    private static String evaluateFails(Path folder) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "evaluate",
                "--in-process", "--model", folder.toString(), "--data", SparkTestSupport.FASHION_MNIST.toString());
        assertEquals(2, code, err.toString());
        return err.toString();
    }

    @Test
    void aFiftyMegabyteStringIsRefusedBySizeAtOnce() throws Exception {
        SparkTestSupport.fashionMnist();
        Path bomb = altered("string-bomb", m -> m.addProperty("format", "x".repeat(50 << 20)));
        long start = System.nanoTime();
        String err = evaluateFails(bomb);
        assertTrue(err.contains(bomb.resolve("model.json") + ": " + Files.size(bomb.resolve("model.json"))
                + " bytes, more than the 16777216 a model.json may have"), err);
        assertTrue(System.nanoTime() - start < 60_000_000_000L, "refused without scanning the string");
    }

    @Test
    void aSpaceTooLargeToBuildIsRefusedBeforeAnythingIsAllocated() throws Exception {
        SparkTestSupport.fashionMnist();
        Path wide = altered("wide", m -> {
            JsonArray widths = m.getAsJsonObject("model").getAsJsonArray("width_stages");
            widths.set(0, new com.google.gson.JsonPrimitive(2_000_000));
        });
        String err = evaluateFails(wide);
        assertTrue(err.contains(wide.resolve("model.json") + ", model: the space's supernet would hold ")
                && err.contains("more than the 268435456 a model may have"), err);
    }

    @Test
    void missingKeysAreNamed() throws Exception {
        SparkTestSupport.fashionMnist();
        String noNorm = evaluateFails(altered("no-normalization", m -> m.remove("normalization")));
        assertTrue(noNorm.contains("model.json: no 'normalization' with 'mean' and 'std'"), noNorm);
        String noBytes = evaluateFails(altered("no-bytes", m -> m.getAsJsonObject("files")
                .getAsJsonObject("model.safetensors").remove("bytes")));
        assertTrue(noBytes.contains("model.json: files.model.safetensors needs 'bytes' (a number) and 'sha256'"), noBytes);
        Path yaml = altered("yaml", m -> { });
        Files.writeString(yaml.resolve(SavedModel.MODEL), "format: proxyless-spark-model\n");
        String notJson = evaluateFails(yaml);
        assertTrue(notJson.contains("model.json: not valid JSON"), notJson);
    }
}
