package io.proxyless.spark.bench;

import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.latency.CellProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceParams;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.spark.SpaceJar;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How good the {@code cpu} table of a space of one's own is: the example space's table (each
 * candidate timed alone, the fixed part from 5 networks), and NETWORKS other random networks timed
 * whole in the same passes, against the sum the table predicts. Prints a Markdown table and the RMSPE.
 * Args: [PARAMS_JSON] [NETWORKS] [RUNS].
 */
public final class SpaceLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        String params = args.length > 0 ? args[0] : "{}";
        int networks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 51;
        Path dir = Files.createTempDirectory("space-latency");
        Path jar = SpaceJar.build(dir);
        Thread.currentThread().setContextClassLoader(
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, Thread.currentThread().getContextClassLoader()));
        SearchSpace space = new SpaceSpec(SpaceJar.SPACE, SpaceParams.parse(params, "params")).create();
        CellProfiler profiler = new CellProfiler(ComputeDevice.CPU, 1, 10, runs);
        List<Map<String, List<String>>> drawn = new ArrayList<>();
        try (Supernet supernet = Supernet.of(space)) {
            Random random = new Random(2026);
            for (int n = 0; n < networks; n++) {
                Map<String, List<String>> network = new LinkedHashMap<>();
                supernet.choices().forEach((label, choice) -> network.put(label,
                        List.of(choice.candidateNames().get(random.nextInt(choice.numCandidates())))));
                drawn.add(network);
            }
        }
        // The table, and the networks timed whole in the same passes.
        CellProfiler.Profile profile = profiler.profile(space, 0L, drawn);
        LatencyTable table = profile.table();
        double[] measured = profile.networkMillis();
        SpaceLatency latency = SpaceLatency.of(space, table);
        {
            System.out.printf(Locale.ROOT, "%s %s; table: fixed %.4f ms, %d candidates timed alone, %d runs each%n%n",
                    SpaceJar.SPACE, space.params().json(), latency.fixed(), table.entries().size() - 1, runs);
            System.out.println("| network | predicted ms | measured ms | error |");
            System.out.println("|---|---|---|---|");
            double squares = 0;
            for (int n = 0; n < networks; n++) {
                double predicted = latency.of(drawn.get(n), "network " + n);
                double error = (predicted - measured[n]) / measured[n];
                squares += error * error;
                System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %+.1f%% |%n", describe(drawn.get(n)), predicted,
                        measured[n], 100 * error);
            }
            System.out.printf(Locale.ROOT, "%nRMSPE over %d networks: %.1f%%%n", networks,
                    100 * Math.sqrt(squares / networks));
        }
    }

    private static String describe(Map<String, List<String>> network) {
        return String.join(" ", network.values().stream().map(v -> v.get(0)).toList());
    }
}
