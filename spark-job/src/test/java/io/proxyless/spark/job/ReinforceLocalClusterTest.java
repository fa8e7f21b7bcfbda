package io.proxyless.spark.job;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.step.driver.StepTasks;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A REINFORCE search on two executor JVMs: each architecture step scores every sampled network as
 * one Spark job over the partitions, and the driver gathers the rewards.
 */
class ReinforceLocalClusterTest {

    @Test
    void reinforceScoresEverySampledNetworkOnTheExecutors(@TempDir Path out) throws Exception {
        TrainerConfig config = SparkTestSupport.smallConfig(true, 256, 1, 32).toBuilder().set("algorithm", "reinforce")
                .set("reinforce_samples", 3).set("applied_hardware", "flops").build();
        SpaceLatency latency = HardwareResolver.resolve(config, path -> "", (h, s, b) -> null);
        List<String> jobs = Collections.synchronizedList(new ArrayList<>());
        // A job per step, so that the jobs count the scored networks (and local-cluster runs this way too).
        try (SparkSession spark = SparkSession.builder()
                .config(SparkTestSupport.localCluster(SparkHome.prepare(), "reinforce on two executors")
                        .set(StepTasks.SETTING, StepTasks.PER_STEP.settingValue()))
                .getOrCreate()) {
            spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    if ("proxyless-search".equals(start.properties().getProperty("spark.jobGroup.id"))) {
                        jobs.add(start.properties().getProperty("spark.job.description"));
                    }
                }
            });
            SparkSearch.builder(spark).setConfig(config).setOutput(new LocalOutputFolder(out)).optPartitions(2)
                    .optLatency(latency).run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        }
        // 4 weight steps, and 4 architecture steps of 3 sampled networks each.
        assertEquals(4 + 4 * 3, jobs.size(), jobs.toString());
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertEquals(2, run.get("executors_that_did_work").getAsInt(), run.toString());
        assertEquals("per-step", run.get("step_tasks").getAsString());
        assertTrue(run.get("exported_latency").getAsDouble() > 0);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"phase\":\"arch\""));
    }
}
