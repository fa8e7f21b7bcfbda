package io.proxyless.spark.job;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short search on two real executor JVMs ({@code local-cluster}), on real Fashion-MNIST. */
class LocalClusterSearchTest {

    @Test
    void bothExecutorsComputeGradients(@TempDir Path out) throws Exception {
        Path home = SparkHome.prepare();
        SparkConf conf = SparkTestSupport.localCluster(home, "proxyless local-cluster test");
        TrainerConfig config = SparkTestSupport.smallConfig(true, 256, 1, 32);
        java.util.List<String[]> jobs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
            spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    jobs.add(new String[] {start.properties().getProperty("spark.jobGroup.id"),
                            start.properties().getProperty("spark.job.description")});
                }
            });
            SparkSearch.builder(spark).setConfig(config).setOutput(new LocalOutputFolder(out)).optPartitions(2).run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
            // One job of long-running tasks computes all eight steps; it says so in the Spark UI, and the
            // group does not outlive the search.
            java.util.List<String> steps = jobs.stream().filter(j -> "proxyless-search".equals(j[0])).map(j -> j[1]).toList();
            assertEquals(java.util.List.of("search epoch 1/1 step 1/4: weight step and on (long-running tasks)"), steps);
            assertEquals(null, spark.sparkContext().getLocalProperty("spark.jobGroup.id"));
        }
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertEquals("local-cluster[2,1,2048]", run.get("master").getAsString());
        assertEquals(2, run.get("partitions").getAsInt());
        assertEquals("long-running", run.get("step_tasks").getAsString());
        assertEquals(1, run.get("long_running_step_jobs").getAsInt());
        assertEquals(2, run.get("executors_that_did_work").getAsInt(), run.toString());
        assertTrue(run.get("executor_ids").toString().contains("\"0\"") && run.get("executor_ids").toString().contains("\"1\""));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.readAllLines(out.resolve("metrics.jsonl")).size() >= 2);
    }
}
