package io.proxyless.spark.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.latency.FlopsTable;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceParams;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.spark.SpaceJar;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.TestImages;
import io.proxyless.spark.job.SparkSearch;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A space of one's own, not MobileNet-shaped (examples/custom-space: cells choosing among 3x3 and
 * 5x5 convolutions, a separable convolution, max pooling and the identity, with an input choice over
 * the two outputs before each cell), its class in a jar only {@code --jars} provides: searched on two
 * executor JVMs ({@code local-cluster}) with the {@code flops} table and a target, retrained, saved,
 * then reloaded in fresh JVMs by {@code evaluate} and by the SQL function {@code classify}.
 */
class CustomSpaceTest {

    @Test
    void searchedOnTwoExecutorsRetrainedAndServedFromTheJarAlone(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path jar = SpaceJar.build(dir);
        assertThrows(ClassNotFoundException.class, () -> Class.forName(SpaceJar.SPACE),
                "the space must reach the commands through --jars only");
        Path params = dir.resolve("space.json");
        Files.writeString(params, "{\"width\": 8, \"cells\": 3}");
        // A target between the cheapest and the costliest network, so that it binds.
        SpaceLatency flops = withJar(jar, () -> {
            SearchSpace space = new SpaceSpec(SpaceJar.SPACE, SpaceParams.parse(Files.readString(params), "space.json"))
                    .create();
            return SpaceLatency.of(space, FlopsTable.forSpace(space, 1));
        });
        double target = (flops.cheapest() + flops.costliest()) / 2;

        Path run = dir.resolve("run");
        List<String> sparkProperties = SpaceJar.systemProperties(SparkTestSupport.localCluster(SparkHome.prepare(),
                "a space of one's own"));
        String log = fresh(dir, "search", sparkProperties, "search", "--master", "local-cluster[2,1,2048]", "--space",
                SpaceJar.SPACE, "--space-params", params.toString(), "--set", "space.stem_stride=2", "--jars",
                jar.toString(), "--applied-hardware", "flops", "--target-latency", Double.toString(target),
                "--num-epochs", "2", "--warmup-epochs", "1", "--limit", "640", "--batch-size", "32", "--partitions", "2",
                "--seed", "3", "--output", run.toString());
        JsonObject runInfo = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        JsonObject space = runInfo.getAsJsonObject("space");
        assertEquals(SpaceJar.SPACE, space.get("class").getAsString());
        assertEquals(JsonParser.parseString("{\"width\": 8, \"cells\": 3, \"stem_stride\": 2}"), space.get("params"));
        assertEquals(2, runInfo.get("executors_that_did_work").getAsInt(), log);
        double exported = runInfo.get("exported_latency").getAsDouble();
        assertTrue(exported <= target, "the export meets the target: " + exported + " > " + target);
        JsonObject architecture = JsonParser.parseString(Files.readString(run.resolve("architecture.json")))
                .getAsJsonObject();
        assertEquals(List.of("op0", "in1", "op1", "in2", "op2"), List.copyOf(architecture.keySet()));

        // The retrain finds the space in the search's run.json.
        Path model = dir.resolve("model");
        fresh(dir, "retrain", List.of(), "retrain", "--master", "local[2]", "--arch",
                run.resolve("architecture.json").toString(), "--jars", jar.toString(), "--num-epochs", "1",
                "--limit", "1200", "--batch-size", "32", "--output", model.toString());
        JsonObject manifest = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject();
        assertEquals(space, manifest.getAsJsonObject("space"));

        Path test = dir.resolve("test");
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            TestImages.writeParquet(spark, test, TestImages.fashionMnist("t10k", 400), 2);
        }
        Path report = dir.resolve("evaluation.json");
        fresh(dir, "evaluate", List.of(), "evaluate", "--master", "local[2]", "--model", model.toString(), "--data",
                test.toString(), "--jars", jar.toString(), "--output", report.toString());
        Path predictions = dir.resolve("predictions");
        fresh(dir, "classify", List.of(), "classify", "--master", "local[2]", "--model", model.toString(), "--data",
                test.toString(), "--jars", jar.toString(), "--output", predictions.toString());

        JsonObject evaluation = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertEquals(400, evaluation.get("images").getAsInt());
        long[][] confusion = new long[10][10];
        List<Row> rows;
        try (SparkSession spark = SparkSearch.session("local[2]")) {
            rows = spark.read().parquet(predictions.toString()).select("label", "prediction.index", "image")
                    .collectAsList();
        }
        assertEquals(400, rows.size());
        // Every image's class from classify is the saved network's, run here from the jar.
        int differ = withJar(jar, () -> {
            int count = 0;
            try (Classifier network = new Classifier(SavedModel.load(new LocalFileSource(model)))) {
                for (Row r : rows) {
                    count += network.classify((byte[]) r.get(2), 1)[0].index() == r.getInt(1) ? 0 : 1;
                }
            }
            return count;
        });
        assertEquals(0, differ, "images whose class differs between classify and the saved network");
        for (Row r : rows) {
            confusion[r.getInt(0)][r.getInt(1)]++;
        }
        JsonArray matrix = evaluation.getAsJsonObject("confusion_matrix").getAsJsonArray("rows_actual_columns_predicted");
        for (int a = 0; a < 10; a++) {
            for (int b = 0; b < 10; b++) {
                assertEquals(matrix.get(a).getAsJsonArray().get(b).getAsLong(), confusion[a][b],
                        "classify and evaluate disagree at (" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void badSpacesAreRefusedBeforeAnyStepNamingWhatIsWrong(@TempDir Path dir) throws Exception {
        Path jar = SpaceJar.build(dir);
        String missing = refused(dir, "search", "--space", "com.example.nas.NoSuchSpace", "--jars", jar.toString());
        assertTrue(missing.contains("com.example.nas.NoSuchSpace is not on the classpath") && missing.contains(jar.toString()),
                missing);
        String notSpace = refused(dir, "search", "--space", "java.util.ArrayList");
        assertTrue(notSpace.contains("java.util.ArrayList does not implement io.proxyless.nas.space.SearchSpace"), notSpace);
        String key = refused(dir, "search", "--space", SpaceJar.SPACE, "--jars", jar.toString(), "--set", "space.widht=8");
        assertTrue(key.contains("space parameter 'widht' is not one of this space's"), key);
        String value = refused(dir, "search", "--space", SpaceJar.SPACE, "--jars", jar.toString(), "--set",
                "space.width=wide");
        assertTrue(value.contains("space parameter 'width': expected an integer, got \"wide\""), value);
        String noJar = refused(dir, "search", "--space", SpaceJar.SPACE, "--jars", dir.resolve("absent.jar").toString());
        assertTrue(noJar.contains("--jars: " + dir.resolve("absent.jar") + " is not a file"), noJar);
        assertTrue(Files.notExists(dir.resolve("out")));
    }

    /** Runs a command in this JVM; it must exit 2 (bad input). Returns what it printed. */
    private static String refused(Path dir, String... args) {
        ClassLoader own = Thread.currentThread().getContextClassLoader();
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--in-process", "--output", dir.resolve("out").toString()));
            Object[] result = CliTestSupport.cli(all.toArray(String[]::new));
            assertEquals(2, result[0], (String) result[1]);
            return (String) result[1];
        } finally {
            Thread.currentThread().setContextClassLoader(own);
        }
    }

    /** Runs a command in a new JVM with this one's class path (without the space); it must succeed. */
    private static String fresh(Path dir, String name, List<String> properties, String... args) throws Exception {
        List<String> command = SparkTestSupport.javaCommand(Main.class);
        command.addAll(1, properties);
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(log);
        assertTrue(finished && process.exitValue() == 0, name + " failed:\n" + text);
        return text;
    }

    @FunctionalInterface
    private interface WithJar<T> {
        T call() throws Exception;
    }

    /** Runs {@code work} with the jar on the context class loader, as {@code --jars} does. */
    private static <T> T withJar(Path jar, WithJar<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader own = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, own)) {
            thread.setContextClassLoader(loader);
            return work.call();
        } finally {
            thread.setContextClassLoader(own);
        }
    }
}
