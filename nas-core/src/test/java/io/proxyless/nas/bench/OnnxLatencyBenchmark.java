package io.proxyless.nas.bench;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.OnnxRuntimeProfiler;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.onnx.OnnxGraph;
import io.proxyless.nas.onnx.OnnxRuntimeSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * How good the {@code onnxruntime} table is: for the 6 uniform networks, 3 searched ones and random
 * ones of a space, the table's prediction (the sum of its ops) against the measured latency of the
 * whole exported network in ONNX Runtime, batch 1, one thread. Prints each network and the RMSPE.
 * Run by scripts/bench/onnx_latency.sh. Args: CONFIG_YAML [RANDOM_COUNT].
 */
public final class OnnxLatencyBenchmark {

    private static final int WARMUP = 20;
    private static final int RUNS = 99;
    private static final int RUNS_PER_PASS = 3;

    public static void main(String[] args) throws Exception {
        TrainerConfig config = ConfigLoader.fromYamlText(TrainerConfig.builder().build(),
                Files.readString(Path.of(args[0])), args[0]);
        int randomCount = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        MobileNetSpace space = config.model();
        SpaceLayout layout = new SpaceLayout(space);
        Map<String, Map<String, List<String>>> networks = networks(layout, randomCount);

        long start = System.nanoTime();
        SpaceLatency table = SpaceLatency.of(space, new LatencyTable(OnnxRuntimeProfiler.HARDWARE, "ms", "bench",
                new OnnxRuntimeProfiler(1, WARMUP, RUNS).profile(layout)));
        double tableSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, double[]> measured = measure(space, networks);
        System.out.printf(Locale.ROOT, "onnxruntime table of %s ops in %.1f s; networks: median of %d runs each"
                + " (warm: 3 in a row after an untimed one; input in native memory, outputs not read back), batch 1, one thread%n", layout.distinctOps().size(), tableSeconds, RUNS);
        System.out.printf(Locale.ROOT, "| network | cells | predicted ms | measured ms | error |%n|---|---|---|---|---|%n");
        double spe = 0;
        for (Map.Entry<String, Map<String, List<String>>> n : networks.entrySet()) {
            double predicted = table.of(n.getValue(), n.getKey());
            double[] samples = measured.get(n.getKey()).clone();
            Arrays.sort(samples);
            double actual = samples[samples.length / 2];
            double error = (predicted - actual) / actual;
            spe += error * error;
            System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.4f | %+.1f%% |%n", n.getKey(),
                    String.join(" ", n.getValue().values().stream().map(l -> l.get(0)).toList()), predicted, actual,
                    100 * error);
        }
        System.out.printf(Locale.ROOT, "RMSPE over %d networks: %.1f%%%n", networks.size(),
                100 * Math.sqrt(spe / networks.size()));
    }

    private static Map<String, Map<String, List<String>>> networks(SpaceLayout layout, int randomCount) {
        Map<String, Map<String, List<String>>> networks = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>(layout.cells().keySet());
        for (String op : List.of("k3e3", "k3e6", "k5e3", "k5e6", "k7e3", "k7e6")) {
            networks.put("uniform " + op, fill(labels, i -> op));
        }
        // The exports of docs/results.md: the quickstart, a flops target of 4.5, and full_v2.
        String[][] searched = {
            {"k7e6", "zero", "k7e6", "zero", "k7e6", "zero"},
            {"k3e3", "zero", "k7e3", "zero", "k7e3", "zero"},
            {"k7e6", "k7e6", "k7e3", "k7e6", "k7e6", "k7e6"}};
        String[] names = {"searched (quickstart)", "searched (flops 4.5)", "searched (full_v2)"};
        for (int s = 0; s < searched.length; s++) {
            String[] cells = searched[s];
            if (cells.length == labels.size()) {
                networks.put(names[s], fill(labels, i -> cells[i]));
            }
        }
        Random random = new Random(3);
        for (int r = 0; r < randomCount; r++) {
            networks.put("random " + r, fill(labels, i -> {
                List<String> candidates = layout.candidateNames(labels.get(i));
                return candidates.get(random.nextInt(candidates.size()));
            }));
        }
        return networks;
    }

    private static Map<String, List<String>> fill(List<String> labels, java.util.function.IntFunction<String> op) {
        Map<String, List<String>> arch = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            arch.put(labels.get(i), List.of(op.apply(i)));
        }
        return arch;
    }

    /** Every network exported and timed, round robin in passes so that drift hits them alike. */
    private static Map<String, double[]> measure(MobileNetSpace space, Map<String, Map<String, List<String>>> networks) {
        int[] shape = space.inputShape();
        long[] in = {shape[0], shape[1], shape[2]};
        float[] input = new float[shape[0] * shape[1] * shape[2]];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        Map<String, OnnxRuntimeSession> sessions = new LinkedHashMap<>();
        Map<String, OnnxRuntimeSession.Input> inputs = new LinkedHashMap<>();
        Map<String, double[]> samples = new LinkedHashMap<>();
        try (Supernet supernet = Supernet.of(space)) {
            for (Map.Entry<String, Map<String, List<String>>> n : networks.entrySet()) {
                OnnxGraph graph = new OnnxGraph(n.getValue());
                String logits = graph.network(supernet.block(), "input");
                sessions.put(n.getKey(), new OnnxRuntimeSession(graph.toModel("input", in, logits, "logits",
                        new long[] {space.numClasses()}, Map.of(), "bench", n.getKey()), 1));
                inputs.put(n.getKey(), sessions.get(n.getKey()).input(input, 1, in));
                samples.put(n.getKey(), new double[RUNS]);
            }
            for (int round = 0; round < WARMUP; round++) {
                sessions.forEach((name, s) -> s.runDiscarding(inputs.get(name)));
            }
            // As a service runs a model, and as the table's prefixes were timed: each pass runs a
            // network once untimed (its weights back in cache), then RUNS_PER_PASS times timed.
            for (int run = 0; run < RUNS; run += RUNS_PER_PASS) {
                for (Map.Entry<String, OnnxRuntimeSession> s : sessions.entrySet()) {
                    OnnxRuntimeSession.Input x = inputs.get(s.getKey());
                    s.getValue().runDiscarding(x);
                    for (int r = run; r < Math.min(RUNS, run + RUNS_PER_PASS); r++) {
                        long start = System.nanoTime();
                        s.getValue().runDiscarding(x);
                        samples.get(s.getKey())[r] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        } finally {
            inputs.values().forEach(OnnxRuntimeSession.Input::close);
            sessions.values().forEach(OnnxRuntimeSession::close);
        }
        return samples;
    }
}
