package io.proxyless.spark.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.model.WeightInitializer;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.udfs.classify.Classify;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to retrain, evaluate and classify: exit code 2 (or an exception) whose message names the
 * file, the cell and candidate, or the column and what is wrong with it; nothing that looks finished.
 */
class ModelBadInputTest {

    @TempDir
    static Path dir;

    static Path model;

    /** The Fashion-MNIST preset's k3e3 network, freshly initialised, saved as retrain saves it. */
    @BeforeAll
    static void writeModel() throws Exception {
        model = io.proxyless.spark.TestModels.uniformFashionMnist(dir.resolve("model"), "k3e3");
    }

    private static String failing(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        assertEquals(2, code, err.toString());
        return err.toString();
    }

    @Test
    void retrainRefusesAnArchitectureTheSpaceLacks() throws Exception {
        Path arch = dir.resolve("bad-architecture.json");
        Files.writeString(arch, "{\"s0\": \"k3e3\", \"s1\": \"k9e1\", \"s2\": \"k3e3\", \"s3\": \"k3e3\", \"s4\": \"k3e3\","
                + " \"s5\": \"k3e3\"}");
        Path out = dir.resolve("retrain-out");
        String err = failing("retrain", "--master", "local[1]", "--arch", arch.toString(), "--output", out.toString(),
                "--limit", "200", "--num-epochs", "1");
        assertTrue(err.contains("bad-architecture.json") && err.contains("'s1' has no candidate 'k9e1'"), err);
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        String missing = failing("retrain", "--master", "local[1]", "--arch", dir.resolve("nope.json").toString(),
                "--output", out.toString());
        assertTrue(missing.contains("--arch: file") && missing.contains("nope.json"), missing);
        String unknown = failing("retrain", "--master", "local[1]", "--uniform", "k4e4", "--output", out.toString(),
                "--limit", "200");
        assertTrue(unknown.contains("--uniform k4e4") && unknown.contains("candidates"), unknown);
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void evaluateNamesATruncatedOrMissingModelFile() throws Exception {
        Path truncated = dir.resolve("truncated");
        Files.createDirectories(truncated);
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, truncated.resolve(f.getFileName()));
            }
        }
        byte[] weights = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        String err = failing("evaluate", "--in-process", "--model", truncated.toString(), "--data",
                io.proxyless.spark.SparkTestSupport.FASHION_MNIST.toString());
        assertTrue(err.contains("model.safetensors") && err.contains("(truncated)"), err);
        Files.write(truncated.resolve("model.safetensors"), weights);
        Files.delete(truncated.resolve("architecture.json"));
        String missing = failing("evaluate", "--in-process", "--model", truncated.toString(), "--data",
                io.proxyless.spark.SparkTestSupport.FASHION_MNIST.toString());
        assertTrue(missing.contains("architecture.json: missing from the model folder"), missing);
    }

    @Test
    void anImageColumnOfTheWrongSizeOrTypeIsNamed() throws Exception {
        TestImages.Rows rows = TestImages.fashionMnist(20);
        List<Row> table = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            // Row 7 holds 100 bytes: neither an encoded image nor a raw 28x28 one.
            byte[] image = i == 7 ? java.util.Arrays.copyOf(rows.pixels()[i], 100) : rows.pixels()[i];
            table.add(RowFactory.create(i, rows.labels()[i], image, "not an image"));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
                .add("image", DataTypes.BinaryType).add("text", DataTypes.StringType);
        Path data = dir.resolve("wrong-size");
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            spark.createDataFrame(table, schema).coalesce(1).write().parquet(data.toUri().toString());
        }
        String err = failing("evaluate", "--master", "local[2]", "--model", model.toString(), "--data", data.toString());
        assertTrue(err.contains("wrong-size") && err.contains("row 7") && err.contains("100"), err);
        String type = failing("evaluate", "--master", "local[2]", "--model", model.toString(), "--data", data.toString(),
                "--image-column", "text");
        assertTrue(type.contains("image column 'text' has type string"), type);

        try (SparkSession spark = SparkSearch.session("local[2]");
                Classify classify = Classify.register(spark, model.toString())) {
            var df = spark.read().parquet(data.toUri().toString());
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                    () -> classify.transform(df, "text", "p", 16));
            assertTrue(wrongType.getMessage().contains("image column 'text' has type string"), wrongType.getMessage());
            df.createOrReplaceTempView("t");
            Exception wrongSize = assertThrows(Exception.class,
                    () -> spark.sql("SELECT classify(image) FROM t").collectAsList());
            assertTrue(messages(wrongSize).contains("classify(image)") && messages(wrongSize).contains("100"),
                    messages(wrongSize));
        }
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
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
            JsonArray widths = m.getAsJsonObject("space").getAsJsonObject("params").getAsJsonArray("width_stages");
            widths.set(0, new com.google.gson.JsonPrimitive(2_000_000));
        });
        String err = evaluateFails(wide);
        assertTrue(err.contains(wide.resolve("model.json") + ", space: the space's supernet would hold ")
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
