package io.proxyless.nas.bench;

import ai.djl.ndarray.types.Shape;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.latency.LatencyProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.ProxylessSpace;
import io.proxyless.nas.mobilenet.SpaceLayout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How good the measured {@code cpu} table is: for random architectures of the default space, the
 * table's prediction (sum of op latencies) against the measured end-to-end latency of the whole
 * child network, DJL, same batch. Prints RMSE, RMSPE and the share within +-10%, the figures
 * nn-Meter reports. Run by scripts/bench/latency_table.sh.
 */
public final class LatencyTableBenchmark {

    public static void main(String[] args) {
        int batch = Integer.parseInt(System.getProperty("bench.batch", "1"));
        int archs = Integer.parseInt(System.getProperty("bench.archs", "20"));
        MobileNetSpace space = MobileNetSpace.fashionMnist();
        SpaceLayout layout = new SpaceLayout(space);
        Random random = new Random(42);
        double se = 0;
        double spe = 0;
        int within = 0;
        List<Map<String, String>> architectures = new java.util.ArrayList<>();
        for (int a = 0; a < archs; a++) {
            Map<String, String> arch = new LinkedHashMap<>();
            for (String label : layout.cells().keySet()) {
                List<String> names = layout.candidateNames(label);
                arch.put(label, names.get(random.nextInt(names.size())));
            }
            architectures.add(arch);
        }
        // The table's networks and the random networks run in the same passes, so that the
        // machine's drift over the minutes of a run hits both alike.
        LatencyProfiler profiler = new LatencyProfiler(batch, 10, 51);
        List<LatencyProfiler.TimedChain> chains = new java.util.ArrayList<>(
                LatencyProfiler.coveringChains(layout).stream().map(profiler::timed).toList());
        int tableChains = chains.size();
        for (int a = 0; a < archs; a++) {
            chains.add(new LatencyProfiler.TimedChain(List.of("network " + a),
                    List.of(ChildNetwork.of(space, architectures.get(a))), new Shape(batch, 1, 28, 28)));
        }
        Map<String, double[]> samples = profiler.sample(chains);
        Map<String, Double> medians = LatencyProfiler.medians(List.of(samples));
        SpaceLatency latency = SpaceLatency.of(space, new LatencyTable("cpu", "ms", "measured",
                LatencyProfiler.tableEntries(layout, List.of(samples))));
        double[] measuredAll = new double[archs];
        for (int a = 0; a < archs; a++) {
            measuredAll[a] = medians.get("network " + a);
        }
        System.out.printf(Locale.ROOT, "%d profiling networks and %d random networks, timed in the same passes%n",
                tableChains, archs);
        System.out.printf(Locale.ROOT, "%-4s %-50s %10s %10s %8s%n", "#", "architecture", "predicted", "measured", "error");
        for (int a = 0; a < archs; a++) {
            Map<String, String> arch = architectures.get(a);
            double predicted = latency.of(ArchitectureExport.fromSingle(arch), "random");
            double measured = measuredAll[a];
            double error = (predicted - measured) / measured;
            se += (predicted - measured) * (predicted - measured);
            spe += error * error;
            if (Math.abs(error) <= 0.10) {
                within++;
            }
            System.out.printf(Locale.ROOT, "%-4d %-50s %10.3f %10.3f %+7.1f%%%n", a, String.join(",", arch.values()),
                    predicted, measured, 100 * error);
        }
        System.out.printf(Locale.ROOT, "batch %d, %d architectures: RMSE %.3f ms, RMSPE %.1f%%, within +-10%%: %d%%%n",
                batch, archs, Math.sqrt(se / archs), 100 * Math.sqrt(spe / archs), 100 * within / archs);
    }

    /** A supernet pinned to one architecture: the child network, as inference runs it. */
    static final class ChildNetwork {
        static ai.djl.nn.Block of(MobileNetSpace space, Map<String, String> arch) {
            return new io.proxyless.nas.export.FixedArchitecture(new ProxylessSpace(space), ArchitectureExport.fromSingle(arch));
        }
    }
}
