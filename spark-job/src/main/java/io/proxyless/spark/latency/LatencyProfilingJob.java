package io.proxyless.spark.latency;

import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.latency.CellProfiler;
import io.proxyless.nas.latency.LatencyProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.OnnxRuntimeProfiler;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceSpec;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A measured table on the executors: every distinct op of the space (candidates and fixed parts),
 * inference at the profiling batch, inside child networks that together cover every candidate
 * ({@link LatencyProfiler#coveringChains}), warmup then the median of N runs. {@code cpu} times them
 * with DJL ({@link LatencyProfiler}), {@code onnxruntime} exported to ONNX in ONNX Runtime
 * ({@link OnnxRuntimeProfiler}). One task per executor at a time (spark.task.cpus = cores), so
 * networks are not timed side by side.
 */
public final class LatencyProfilingJob {

    private LatencyProfilingJob() {}

    public static LatencyTable run(JavaSparkContext sc, String hardware, SearchSpace space, int batch, int warmup,
            int runs) {
        boolean onnx = checkMeasured(hardware);
        if (!(space instanceof MobileNetSpace builtIn)) {
            // One task times the whole space, so that every cost in the table comes from one machine.
            SpaceSpec spec = space.spec();
            return sc.parallelize(List.of(0), 1)
                    .map(ignored -> new CellProfiler(ComputeDevice.CPU, batch, warmup, runs).profile(spec.create(), 0L))
                    .collect().get(0);
        }
        SpaceLayout layout = builtIn.layout();
        List<List<OpShape>> chains = LatencyProfiler.coveringChains(layout);
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        int slices = Math.max(1, Math.min(chains.size(), sc.defaultParallelism() / taskCpus));
        List<Map<String, double[]>> parts = sc.parallelize(chains, slices)
                .mapPartitions((Iterator<List<OpShape>> it) -> {
                    List<List<OpShape>> mine = new ArrayList<>();
                    it.forEachRemaining(mine::add);
                    return List.of(onnx ? new OnnxRuntimeProfiler(batch, warmup, runs).sampleChains(mine)
                            : new LatencyProfiler(batch, warmup, runs).sampleChains(mine)).iterator();
                })
                .collect();
        return table(hardware, batch, LatencyProfiler.tableEntries(layout, parts));
    }

    /** Measures in this JVM. */
    public static LatencyTable inProcess(String hardware, SearchSpace space, int batch, int warmup, int runs) {
        boolean onnx = checkMeasured(hardware);
        if (!(space instanceof MobileNetSpace builtIn)) {
            return new CellProfiler(ComputeDevice.CPU, batch, warmup, runs).profile(space, 0L);
        }
        SpaceLayout layout = builtIn.layout();
        Map<String, Double> entries = onnx ? new OnnxRuntimeProfiler(batch, warmup, runs).profile(layout)
                : new LatencyProfiler(batch, warmup, runs).profile(layout);
        return table(hardware, batch, entries);
    }

    private static LatencyTable table(String hardware, int batch, Map<String, Double> entries) {
        return new LatencyTable(hardware, "ms", hardware + " (measured in networks, batch " + batch + ")", entries);
    }

    /** Whether {@code hardware} is the ONNX Runtime table; refuses what is not measured here. */
    private static boolean checkMeasured(String hardware) {
        if (hardware.equals(OnnxRuntimeProfiler.HARDWARE)) {
            return true;
        }
        if (hardware.equals(LatencyProfiler.HARDWARE)) {
            return false;
        }
        throw new IllegalArgumentException("'" + hardware + "' is not a table measured here; these are "
                + io.proxyless.nas.hardware.HardwareResolver.MEASURED);
    }
}
