package io.proxyless.spark.latency;

import io.proxyless.nas.latency.LatencyProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.OpShape;
import io.proxyless.nas.latency.SpaceLayout;
import io.proxyless.nas.space.SpaceConfig;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cpu} table: every distinct op of the space (candidates and fixed parts) measured with
 * DJL on the executors, inference at the profiling batch, warmup then the median of N runs. One
 * task per executor at a time (spark.task.cpus = cores), so ops are not timed side by side.
 */
public final class LatencyProfilingJob {

    public static final String HARDWARE = "cpu";

    private LatencyProfilingJob() {}

    public static LatencyTable run(JavaSparkContext sc, SpaceConfig space, int batch, int warmup, int runs) {
        List<OpShape> ops = new SpaceLayout(space).distinctOps();
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        int slices = Math.max(1, Math.min(ops.size(), sc.defaultParallelism() / taskCpus));
        List<Map<String, Double>> parts = sc.parallelize(ops, slices)
                .mapPartitions((Iterator<OpShape> it) -> {
                    List<OpShape> mine = new java.util.ArrayList<>();
                    it.forEachRemaining(mine::add);
                    return List.of(new LatencyProfiler(batch, warmup, runs).profile(mine)).iterator();
                })
                .collect();
        Map<String, Double> measured = new java.util.HashMap<>();
        parts.forEach(measured::putAll);
        Map<String, Double> entries = new LinkedHashMap<>();
        for (OpShape op : ops) {
            entries.put(op.key(), measured.get(op.key()));
        }
        return new LatencyTable(HARDWARE, "ms", "cpu (measured, batch " + batch + ")", entries);
    }
}
