package io.proxyless.udfs;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.latency.SpaceLatency;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code predict_latency(arch_json)}: the table latency of an exported architecture
 * ({@code architecture.json} content) per row. The table is broadcast once at registration; a row
 * naming an unknown cell or candidate fails the query with a message naming them.
 */
public final class PredictLatencyUdf {

    public static final String NAME = "predict_latency";

    private PredictLatencyUdf() {}

    /** Registers the function for this session and returns the broadcast, for the caller to destroy. */
    public static Broadcast<SpaceLatency> register(SparkSession spark, SpaceLatency latency) {
        Broadcast<SpaceLatency> table = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(latency);
        UDF1<String, Double> predict = json -> json == null ? null
                : table.value().of(ArchitectureExport.parseArchitecture(json, "predict_latency argument"),
                        "predict_latency argument");
        spark.udf().register(NAME, predict, DataTypes.DoubleType);
        return table;
    }
}
