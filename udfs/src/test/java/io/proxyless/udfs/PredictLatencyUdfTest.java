package io.proxyless.udfs;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.latency.FlopsTable;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictLatencyUdfTest {

    private static String json(String... ops) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < ops.length; i++) {
            s.append(i == 0 ? "" : ",").append("\"s").append(i).append("\":\"").append(ops[i]).append('"');
        }
        return s.append('}').toString();
    }

    @Test
    void predictsEachRowWithTheBroadcastTable() throws Exception {
        MobileNetSpace space = MobileNetSpace.fashionMnist();
        SpaceLatency latency = SpaceLatency.of(space, FlopsTable.forSpace(space, 1));
        try (SparkSession spark = SparkSession.builder().master("local[2]").appName("udf test")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            PredictLatencyUdf.register(spark, latency);
            String small = json("k3e3", "zero", "k3e3", "zero", "k3e3", "zero");
            String large = json("k7e6", "k7e6", "k7e6", "k7e6", "k7e6", "k7e6");
            Dataset<Row> rows = spark.createDataset(java.util.Arrays.asList(small, large, null), Encoders.STRING())
                    .toDF("arch").selectExpr("arch", "predict_latency(arch) AS latency");
            List<Row> result = rows.collectAsList();
            Map<String, String> smallArch = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                smallArch.put("s" + i, i % 2 == 0 ? "k3e3" : "zero");
            }
            assertEquals(latency.of(ArchitectureExport.fromSingle(smallArch), "t"), result.get(0).getDouble(1), 1e-9);
            assertTrue(result.get(1).getDouble(1) > 3 * result.get(0).getDouble(1));
            assertNull(result.get(2).get(1));

            Exception e = assertThrows(Exception.class, () -> spark.sql(
                    "SELECT predict_latency('" + json("k9e9") + "')").collectAsList());
            assertTrue(String.valueOf(rootMessage(e)).contains("'k9e9'"), rootMessage(e));
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
