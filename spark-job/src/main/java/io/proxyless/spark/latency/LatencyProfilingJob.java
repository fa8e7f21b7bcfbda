package io.proxyless.spark.latency;

import io.proxyless.nas.latency.LatencyProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.space.OpShape;
import io.proxyless.nas.space.SpaceConfig;
import io.proxyless.nas.space.SpaceLayout;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code cpu} table: every distinct op of the space (candidates and fixed parts) measured with
 * DJL on the executors, inference at the profiling batch, inside child networks that together cover
 * every candidate ({@link LatencyProfiler#coveringChains}), warmup then the median of N runs. One
 * task per executor at a time (spark.task.cpus = cores), so networks are not timed side by side.
 */
public final class LatencyProfilingJob {

    public static final String HARDWARE = "cpu";

    private LatencyProfilingJob() {}

    public static LatencyTable run(JavaSparkContext sc, SpaceConfig space, int batch, int warmup, int runs) {
        SpaceLayout layout = new SpaceLayout(space);
        List<List<OpShape>> chains = LatencyProfiler.coveringChains(layout);
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        int slices = Math.max(1, Math.min(chains.size(), sc.defaultParallelism() / taskCpus));
        List<Map<String, double[]>> parts = sc.parallelize(chains, slices)
                .mapPartitions((Iterator<List<OpShape>> it) -> {
                    List<List<OpShape>> mine = new java.util.ArrayList<>();
                    it.forEachRemaining(mine::add);
                    return List.of(new LatencyProfiler(batch, warmup, runs).sampleChains(mine)).iterator();
                })
                .collect();
        return new LatencyTable(HARDWARE, "ms", "cpu (measured in networks, batch " + batch + ")",
                LatencyProfiler.tableEntries(layout, parts));
    }
}
