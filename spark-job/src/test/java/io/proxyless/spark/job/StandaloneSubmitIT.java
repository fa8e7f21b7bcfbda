package io.proxyless.spark.job;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone Master and Worker on 127.0.0.1, started from Spark's and Hadoop's jars alone, and the
 * shaded job jar submitted through Spark's own submit class, as a user would with spark-submit.
 */
class StandaloneSubmitIT {

    private static final String OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
            + "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
            + "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED "
            + "--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED "
            + "--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED";

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Path sparkHome() throws IOException {
        Path home = Path.of(System.getProperty("spark.home.dir"));
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        Files.write(home.resolve("RELEASE"), new byte[0]);
        List<String> entries = new ArrayList<>(List.of(
                Files.readString(Path.of(System.getProperty("provided.classpath"))).trim().split(File.pathSeparator)));
        // A Spark distribution also ships its logging jars, which Maven resolves in compile scope here.
        for (String entry : Files.readString(Path.of(System.getProperty("launcher.classpath"))).trim().split(File.pathSeparator)) {
            if (entry.contains("/org/slf4j/") || entry.contains("/org/apache/logging/log4j/")) {
                entries.add(entry);
            }
        }
        for (String entry : entries) {
            Path link = jars.resolve(Path.of(entry).getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of(entry));
            }
        }
        return home;
    }

    private Process start(Path home, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(List.of(OPENS.split(" ")));
        command.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("MALLOC_ARENA_MAX", "1");
        builder.environment().put("MALLOC_MMAP_MAX_", "0");
        builder.environment().put("MALLOC_TRIM_THRESHOLD_", "17179869184");
        builder.environment().put("ONEDNN_MAX_CPU_ISA", "AVX2");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Waits for a line matching {@code pattern} and returns its first group (or the whole match). */
    private static String awaitLog(Path log, String pattern, Process process) throws Exception {
        Pattern regex = Pattern.compile(pattern);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher match = regex.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (match.find()) {
                return match.groupCount() > 0 ? match.group(1) : match.group();
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("'" + pattern + "' never appeared in " + log + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    @Test
    void shadedJarRunsThroughSparkSubmitOnAStandaloneCluster(@TempDir Path dir) throws Exception {
        SparkTestSupport.fashionMnist();
        Path home = sparkHome();
        // Port 0: the Master binds a free port itself and logs it; a port probed first could be taken by then.
        Process master = start(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
        String masterUrl = awaitLog(dir.resolve("master.log"), "Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)", master);
        awaitLog(dir.resolve("master.log"), "I have been elected leader", master);
        Process worker = start(home, dir.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", "4", "--memory", "3g", "--webui-port", "0",
                "--work-dir", dir.resolve("work").toString(), masterUrl);
        awaitLog(dir.resolve("worker.log"), "Successfully registered with master", worker);

        Path out = dir.resolve("out");
        Process submit = start(home, dir.resolve("submit.log"),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
                "org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl,
                "--class", "io.proxyless.spark.cli.Main",
                "--conf", "spark.driver.host=127.0.0.1",
                // Two task slots on one executor: both partitions' step tasks run for the whole search, and
                // their messages cross Spark's RPC to an executor that loads the job's classes from the jar.
                "--conf", "spark.executor.cores=4",
                "--conf", "spark.task.cpus=2",
                "--conf", "spark.executor.memory=2g",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2",
                System.getProperty("job.jar"),
                "search", "--output", out.toString(), "--limit", "256", "--num-epochs", "1", "--batch-size", "32",
                "--model", "fashion-mnist", "--partitions", "2");
        boolean finished = submit.waitFor(6, TimeUnit.MINUTES);
        String log = Files.readString(dir.resolve("submit.log"));
        assertTrue(finished, "spark-submit did not finish:\n" + log);
        assertEquals(0, submit.exitValue(), log);
        assertTrue(Files.exists(out.resolve("_SUCCESS")), log);
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertEquals(masterUrl, run.get("master").getAsString());
        assertEquals(1, run.get("executors_that_did_work").getAsInt());
        assertEquals(2, run.get("partitions").getAsInt());
        assertEquals("long-running", run.get("step_tasks").getAsString(), run.toString());
        assertEquals(1, run.get("long_running_step_jobs").getAsInt(), run.toString());
    }
}
