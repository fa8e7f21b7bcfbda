package io.proxyless.spark.cli;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.model.WeightInitializer;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.nas.space.SpaceConfig;
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

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
}
