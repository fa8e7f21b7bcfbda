package io.proxyless.spark.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Airflow DAG, without Airflow (it cannot be installed here): the file compiles; loaded against
 * stand-ins of the Airflow API, its four spark-submit tasks run in order, pass one run folder along,
 * give arguments the CLI accepts, and submit with the settings of scripts/submit.sh, the README's
 * way to submit.
 */
class AirflowDagTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DAG = ROOT.resolve("scripts/airflow/proxyless_dag.py");

    @Test
    void theDagSubmitsSearchRetrainEvaluateAndReportAsTheReadmeDoes(@TempDir Path dir) throws Exception {
        run(dir, "python3", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                DAG.toString(), dir.resolve("dag.pyc").toString());
        Path renderer = dir.resolve("render_dag.py");
        try (var in = getClass().getResourceAsStream("/airflow-stubs/render_dag.py")) {
            Files.copy(in, renderer);
        }
        JsonArray tasks = JsonParser.parseString(run(dir, "python3", renderer.toString(), DAG.toString(), "20261202"))
                .getAsJsonArray();
        List<String> order = new ArrayList<>();
        Map<String, List<String>> args = new LinkedHashMap<>();
        for (var t : tasks) {
            JsonObject task = t.getAsJsonObject();
            order.add(task.get("task_id").getAsString());
            List<String> a = new ArrayList<>();
            task.getAsJsonArray("application_args").forEach(e -> a.add(e.getAsString()));
            args.put(task.get("task_id").getAsString(), a);
            assertEquals("io.proxyless.spark.cli.Main", task.get("java_class").getAsString());
            if (!order.get(order.size() - 1).equals("report")) {
                assertEquals(1, task.getAsJsonArray("downstream").size(), task.toString());
            }
        }
        assertEquals(List.of("search", "retrain", "evaluate", "report"), order);
        String run = "hdfs:///runs/proxyless/20261202";
        assertEquals(run + "/search", after(args.get("search"), "--resume"), "a retried search resumes");
        assertEquals(run + "/search/architecture.json", after(args.get("retrain"), "--arch"));
        assertEquals(run + "/model", after(args.get("retrain"), "--output"));
        assertEquals(run + "/model", after(args.get("evaluate"), "--model"));
        assertEquals(run + "/search", after(args.get("report"), "--run"));
        for (List<String> command : args.values()) {
            // Every command is one the CLI parses: a mistyped option would fail here, not at 3 a.m.
            Main.commandLine().parseArgs(command.toArray(String[]::new));
        }

        // scripts/submit.sh, with a spark-submit that prints what it is given.
        Path fake = dir.resolve("spark-submit");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = ROOT.resolve("spark-job/target/spark-job-0.1.0-SNAPSHOT-job.jar");
        boolean madeJar = !Files.exists(jar);
        if (madeJar) {
            Files.write(jar, new byte[0]);
        }
        List<String> submitted;
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/submit.sh").toString(), "--", "search",
                    "--output", "x");
            pb.environment().put("SPARK_SUBMIT", fake.toString());
            pb.environment().put("PROXYLESS_EXECUTOR_CORES", "2");
            submitted = List.of(output(pb, dir).split("\n"));
        } finally {
            if (madeJar) {
                Files.delete(jar);
            }
        }
        JsonObject conf = tasks.get(0).getAsJsonObject().getAsJsonObject("conf");
        for (String key : List.of("spark.executor.cores", "spark.task.cpus", "spark.executor.extraJavaOptions")) {
            assertTrue(submitted.contains(key + "=" + conf.get(key).getAsString()),
                    key + "=" + conf.get(key).getAsString() + " not in what submit.sh passes: " + submitted);
        }
        assertTrue(String.join(" ", submitted).contains(conf.get("spark.driver.extraJavaOptions").getAsString()),
                "the driver's libtorch settings, as submit.sh gives them");
    }

    private static String after(List<String> args, String option) {
        return args.get(args.indexOf(option) + 1);
    }

    private static String run(Path dir, String... command) throws Exception {
        return output(new ProcessBuilder(command), dir);
    }

    private static String output(ProcessBuilder pb, Path dir) throws Exception {
        // No bytecode cache beside the DAG in the source tree.
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", pb.command()) + ": " + Files.readString(err));
        return out;
    }
}
