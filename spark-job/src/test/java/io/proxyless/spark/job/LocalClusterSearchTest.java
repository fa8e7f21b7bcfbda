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
        try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
            SparkSearch.run(spark, config, SparkTestSupport.fashionMnist(), new LocalOutputFolder(out), 2, null, false);
        }
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertEquals("local-cluster[2,1,2048]", run.get("master").getAsString());
        assertEquals(2, run.get("partitions").getAsInt());
        assertEquals(2, run.get("executors_that_did_work").getAsInt(), run.toString());
        assertTrue(run.get("executor_ids").toString().contains("\"0\"") && run.get("executor_ids").toString().contains("\"1\""));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.readAllLines(out.resolve("metrics.jsonl")).size() >= 2);
    }
}
