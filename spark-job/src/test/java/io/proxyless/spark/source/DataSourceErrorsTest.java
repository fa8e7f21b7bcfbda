package io.proxyless.spark.source;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.HostileImages;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every data source's bad files, read by Spark's executors (local mode, and two executor JVMs with
 * {@code local-cluster}): the error names the file (and row), as the driver-side readers' errors do,
 * and no search output looks finished.
 */
class DataSourceErrorsTest {

    @TempDir
    static Path dir;

    /** Each bad input, and what its error must say. */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    @BeforeAll
    static void writeBadFiles() throws Exception {
        TestImages.Rows rows = TestImages.fashionMnist(120);
        Path real = SparkTestSupport.FASHION_MNIST;

        Path truncated = dir.resolve("idx-truncated-gzip");
        Files.createDirectories(truncated);
        byte[] images = Files.readAllBytes(real.resolve("train-images-idx3-ubyte.gz"));
        Files.write(truncated.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(images, images.length / 3));
        Files.copy(real.resolve("train-labels-idx1-ubyte.gz"), truncated.resolve("train-labels-idx1-ubyte.gz"));
        CASES.put("idx-truncated-gzip", new String[] {truncated.resolve("train-images-idx3-ubyte.gz").toString(),
                "reading records"});

        Path bomb = dir.resolve("idx-header-bomb");
        TestImages.writeIdx(bomb, rows);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(bomb.resolve("train-labels-idx1-ubyte.gz"))))) {
            out.writeInt(0x801);
            out.writeInt(Integer.MAX_VALUE);
            out.write(new byte[120]);
        }
        CASES.put("idx-header-bomb", new String[] {bomb.resolve("train-labels-idx1-ubyte.gz").toString(),
                "the header declares 2147483647 records"});

        Path parquet = dir.resolve("parquet-undecodable");
        Files.createDirectories(parquet);
        CASES.put("parquet-undecodable", new String[] {"part-", " row ", "cannot decode the image"});
        // The same rows as an (external) table in the catalog.
        CASES.put("bad_images", new String[] {"part-", " row ", "cannot decode the image"});

        Path emptyClass = dir.resolve("folder-empty-class");
        TestImages.writePngFolder(emptyClass, rows);
        Files.createDirectories(emptyClass.resolve("zebra"));
        CASES.put("folder-empty-class", new String[] {emptyClass.resolve("zebra").toString(), "holds no image"});

        Path zeroByte = dir.resolve("folder-zero-byte");
        TestImages.writePngFolder(zeroByte, rows);
        Files.write(zeroByte.resolve("3").resolve("empty.png"), new byte[0]);
        CASES.put("folder-zero-byte", new String[] {zeroByte.resolve("3").resolve("empty.png").toString(), "(0 bytes)"});

        Path pixelBomb = dir.resolve("folder-pixel-bomb");
        TestImages.writePngFolder(pixelBomb, rows);
        HostileImages.writePngBomb(pixelBomb.resolve("5").resolve("bomb.png"), 20000, 20000);
        CASES.put("folder-pixel-bomb", new String[] {"bomb.png", "20000x20000", "dataset.max_image_pixels"});
    }

    /** Runs a search on each bad input; returns each case's error message. */
    private static Map<String, String> errors(SparkSession spark) throws Exception {
        Path parquet = dir.resolve("parquet-undecodable");
        if (!Files.exists(parquet.resolve("_SUCCESS"))) {
            List<org.apache.spark.sql.Row> table = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                table.add(org.apache.spark.sql.RowFactory.create(i % 3, i == 17
                        ? new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3} : new byte[784]));
            }
            spark.createDataFrame(table, new org.apache.spark.sql.types.StructType()
                    .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)
                    .add("image", org.apache.spark.sql.types.DataTypes.BinaryType))
                    .coalesce(1).write().mode("overwrite").parquet(parquet.toUri().toString());
        }
        if (!spark.catalog().tableExists("bad_images")) {
            spark.catalog().createTable("bad_images", parquet.toUri().toString());
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Function<String, TrainerConfig> config = name -> {
            TrainerConfig small = SparkTestSupport.smallConfig(true, 0, 1, 16);
            String path = name.contains("-") ? dir.resolve(name).toString() : name;
            return small.toBuilder().optDataset(small.dataset().withPath(path)).build();
        };
        for (String name : CASES.keySet()) {
            Path out = dir.resolve("out-" + name + "-" + spark.sparkContext().applicationId());
            Exception e = assertThrows(Exception.class, () -> SparkSearch.builder(spark).setConfig(config.apply(name))
                    .setOutput(new LocalOutputFolder(out)).optPartitions(2).run(), name);
            assertFalse(Files.exists(out.resolve("_SUCCESS")), name);
            errors.put(name, String.valueOf(e.getMessage()));
        }
        return errors;
    }

    private static void assertNamed(Map<String, String> errors, String master) {
        errors.forEach((name, message) -> {
            for (String expected : CASES.get(name)) {
                assertTrue(message.contains(expected), master + ", " + name + ": '" + expected + "' not in: " + message);
            }
        });
    }

    @Test
    void inLocalModeEachBadFileIsNamed() throws Exception {
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            assertNamed(errors(spark), "local[2]");
            // Asked to, a search leaves the empty class folder out and goes on over the classes that have images.
            TrainerConfig small = SparkTestSupport.smallConfig(true, 0, 1, 16);
            TrainerConfig allowing = small.toBuilder().optDataset(small.dataset()
                    .withPath(dir.resolve("folder-empty-class").toString()).withAllowEmptyClasses(true)).build();
            Path out = dir.resolve("out-allowed");
            SparkSearch.builder(spark).setConfig(allowing).setOutput(new LocalOutputFolder(out)).optPartitions(2).run();
            String run = Files.readString(out.resolve("run.json"));
            assertTrue(Files.exists(out.resolve("_SUCCESS")) && !run.contains("zebra") && run.contains("\"9\""), run);
        }
    }

    @Test
    void onExecutorJvmsEachBadFileIsNamed() throws Exception {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        try (SparkSession spark = SparkSession.builder()
                .config(SparkTestSupport.localCluster(SparkHome.prepare(), "proxyless bad files")).getOrCreate()) {
            assertNamed(errors(spark), "local-cluster");
        }
    }
}
