package io.proxyless.spark.cli;

import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.step.driver.StepTasks;
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
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad data through the command line, each in real files: the search exits with 2, the error names
 * the file, row, column or class, and the output has no {@code _SUCCESS}.
 */
class BadDataTest {

    @TempDir
    static Path dir;

    private static TestImages.Rows rows;

    @BeforeAll
    static void realRows() throws Exception {
        rows = TestImages.fashionMnist(200);
    }

    /** Runs a search on {@code data}, expects exit code 2 and returns what it printed to stderr. */
    private static String failingSearch(Path data, String... extra) {
        Path out = dir.resolve("out-" + data.getFileName());
        List<String> args = new ArrayList<>(List.of("search", "--master", "local[2]", "--data", data.toString(),
                "--output", out.toString(), "--num-epochs", "1", "--batch-size", "16"));
        args.addAll(Arrays.asList(extra));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(2, code, err.toString());
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "no _SUCCESS after: " + err);
        return err.toString();
    }

    private static void parquet(Path path, StructType schema, List<Row> table) throws Exception {
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            spark.createDataFrame(table, schema).coalesce(1).write().parquet(path.toUri().toString());
        }
    }

    private static List<Row> table(int n) {
        List<Row> table = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            table.add(RowFactory.create(rows.labels()[i], rows.pixels()[i]));
        }
        return table;
    }

    private static final StructType LABEL_IMAGE = new StructType().add("label", DataTypes.IntegerType)
            .add("image", DataTypes.BinaryType);

    @Test
    void anUndecodableImageNamesItsFile() throws Exception {
        Path folder = dir.resolve("broken-png");
        TestImages.writePngFolder(folder, rows);
        Path victim = folder.resolve("3").resolve(Files.list(folder.resolve("3")).sorted().findFirst().orElseThrow()
                .getFileName());
        byte[] png = Files.readAllBytes(victim);
        Files.write(victim, Arrays.copyOf(png, 40));
        String err = failingSearch(folder);
        assertTrue(err.contains(victim.getFileName().toString()) && err.contains("cannot decode"), err);
    }

    @Test
    void aMistypedStepTasksSettingIsNamedWithItsValues() throws Exception {
        Path path = dir.resolve("step-tasks.parquet");
        parquet(path, LABEL_IMAGE, table(100));
        System.setProperty(StepTasks.SETTING, "sometimes");
        try {
            String err = failingSearch(path);
            assertTrue(err.contains("spark.proxyless.step.tasks: 'sometimes' is not one of [long-running, per-step]"), err);
        } finally {
            System.clearProperty(StepTasks.SETTING);
        }
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsPresent() throws Exception {
        Path path = dir.resolve("columns.parquet");
        parquet(path, LABEL_IMAGE, table(100));
        String err = failingSearch(path, "--image-column", "pixels");
        assertTrue(err.contains("no image column 'pixels'") && err.contains("[label, image]"), err);
    }

    @Test
    void aNullLabelNamesItsRow() throws Exception {
        Path path = dir.resolve("null-label.parquet");
        List<Row> table = table(100);
        table.set(57, RowFactory.create(null, rows.pixels()[57]));
        parquet(path, LABEL_IMAGE, table);
        String err = failingSearch(path);
        assertTrue(err.contains(" row 57") && err.contains(".parquet") && err.contains("is null"), err);
    }

    @Test
    void anUnknownLabelNamesItsRow() throws Exception {
        Path path = dir.resolve("unknown-label.parquet");
        List<Row> table = table(100);
        table.set(12, RowFactory.create(14, rows.pixels()[12]));
        parquet(path, LABEL_IMAGE, table);
        String err = failingSearch(path);
        assertTrue(err.contains(" row 12") && err.contains("label 14 is outside"), err);
    }

    @Test
    void aClassTooSmallForBothSplitsIsNamed() throws Exception {
        Path folder = dir.resolve("small-class");
        TestImages.writePngFolder(folder, rows);
        Path two = folder.resolve("7");
        try (var files = Files.list(two)) {
            files.sorted().skip(1).forEach(f -> f.toFile().delete());
        }
        String err = failingSearch(folder);
        assertTrue(err.contains("class '7'") && err.contains("has 1 rows") && err.contains("too few"), err);
    }

    @Test
    void anImageWhoseChannelsCannotFitIsNamed() throws Exception {
        Path path = dir.resolve("channels.parquet");
        List<Row> table = table(100);
        table.set(33, RowFactory.create(rows.labels()[33], new byte[2 * 28 * 28]));
        parquet(path, LABEL_IMAGE, table);
        String err = failingSearch(path);
        assertTrue(err.contains(" row 33") && err.contains("1568 values"), err);
    }

    @Test
    void colourPngsFeedAGrayscaleSpaceAsLuma() throws Exception {
        // Not an error: colour becomes grayscale. What no space takes is a channel count other than 1 or 3.
        Path folder = dir.resolve("rgb");
        TestImages.writeColourFolder(folder, List.of("a", "b", "c"), 20, 1);
        Path out = dir.resolve("out-rgb");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "search",
                "--master", "local[2]", "--data", folder.toString(), "--output", out.toString(), "--num-epochs", "1",
                "--batch-size", "10", "--warmup-epochs", "0", "--config",
                Path.of("..").toAbsolutePath().normalize().resolve("conf/quickstart.yaml").toString()), err.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }
}
