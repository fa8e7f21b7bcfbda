package io.proxyless.nas.latency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.NoGrad;
import io.proxyless.nas.nn.StepContext;
import io.proxyless.nas.space.SearchSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code cpu} table of any space, by cell: each candidate of each layer choice timed alone at the
 * input shape the model gives it, and the rest of the model (the {@code fixed} part) from whole
 * networks: a network's time less its candidates' times, the median over a few random networks.
 * Candidates and networks are timed round robin in passes ({@link #time}). Milliseconds,
 * inference, after warmup runs.
 */
public final class CellProfiler {

    /** Random networks whose times give the fixed part. */
    static final int FIXED_NETWORKS = 5;

    private final ComputeDevice device;
    private final int batch;
    private final int warmup;
    private final int runs;

    public CellProfiler(ComputeDevice device, int batch, int warmup, int runs) {
        this.device = device;
        this.batch = batch;
        this.warmup = warmup;
        this.runs = runs;
    }

    /** The table: {@code fixed} and {@code LABEL/CANDIDATE} in milliseconds. */
    public LatencyTable profile(SearchSpace space, long seed) {
        return profile(space, seed, List.of()).table();
    }

    /** The table, and the times of {@code networks} measured in the same passes (to check its predictions). */
    public record Profile(LatencyTable table, double[] networkMillis) {}

    /**
     * The table, with {@code others} (whole networks by architecture) timed in the same passes as the
     * candidates and the networks the fixed part comes from, so that a check of the table's
     * predictions sees the machine in the state the table was measured in.
     */
    public Profile profile(SearchSpace space, long seed, List<Map<String, List<String>>> others) {
        try (Supernet supernet = Supernet.of(space, device)) {
            List<Timed> timed = candidates(supernet);
            int numCandidates = timed.size();
            List<Map<String, List<String>>> networks = new ArrayList<>();
            Random random = new Random(seed);
            for (int n = 0; n < FIXED_NETWORKS; n++) {
                networks.add(randomNetwork(supernet.choices(), random));
            }
            networks.addAll(others);
            for (int n = 0; n < networks.size(); n++) {
                timed.add(network(supernet, networks.get(n), "network " + n));
            }
            double[] medians;
            try (NDManager manager = device.newManager(); NoGrad ignored = NoGrad.enter()) {
                medians = time(timed, manager);
            }
            Map<String, Double> entries = new LinkedHashMap<>();
            for (int i = 0; i < numCandidates; i++) {
                entries.put(timed.get(i).key(), medians[i]);
            }
            double[] fixed = new double[FIXED_NETWORKS];
            for (int n = 0; n < FIXED_NETWORKS; n++) {
                double cells = 0;
                for (Map.Entry<String, List<String>> cell : networks.get(n).entrySet()) {
                    Double cost = entries.get(SpaceCells.key(cell.getKey(), cell.getValue().get(0)));
                    cells += cost == null ? 0 : cost;
                }
                fixed[n] = Math.max(0, medians[numCandidates + n] - cells);
            }
            Arrays.sort(fixed);
            Map<String, Double> table = new LinkedHashMap<>();
            table.put(SpaceLatency.FIXED, fixed[fixed.length / 2]);
            table.putAll(entries);
            double[] othersMillis = Arrays.copyOfRange(medians, numCandidates + FIXED_NETWORKS, medians.length);
            return new Profile(new LatencyTable(LatencyProfiler.HARDWARE, "ms", "cpu (measured by cell)", table),
                    othersMillis);
        }
    }

    /** A network drawn uniformly per layer choice; input choices keep their first inputs. */
    static Map<String, List<String>> randomNetwork(Map<String, Choice> choices, Random random) {
        Map<String, List<String>> network = new LinkedHashMap<>();
        choices.forEach((label, choice) -> network.put(label, choice instanceof LayerChoice
                ? List.of(choice.candidateNames().get(random.nextInt(choice.numCandidates())))
                : choice.candidateNames().subList(0, choice.numChosen())));
        return network;
    }

    private List<Timed> candidates(Supernet supernet) {
        List<Timed> timed = new ArrayList<>();
        for (Map.Entry<String, Choice> e : supernet.choices().entrySet()) {
            if (!(e.getValue() instanceof LayerChoice choice)) {
                continue;
            }
            Shape input = batched(choice.getInputShapes()[0]);
            for (int i = 0; i < choice.numCandidates(); i++) {
                String key = SpaceCells.key(e.getKey(), choice.candidateNames().get(i));
                Block candidate = choice.candidate(i);
                timed.add(new Timed(key, input, (store, x) -> candidate.forward(store, new NDList(x), false, null)));
            }
        }
        return timed;
    }

    private Timed network(Supernet supernet, Map<String, List<String>> architecture, String name) {
        ChildArchitecture child = ChildArchitecture.of(supernet.choices(), architecture, name);
        StepContext context = new StepContext(child.path().forWeightStep(), null, null);
        Shape input = batched(new Shape(prepend(supernet.inputShape().getShape())));
        return new Timed(name, input, (store, x) -> {
            try (StepContext.Scope scope = context.enter()) {
                return supernet.block().forward(store, new NDList(x), false, context.asForwardParameters());
            }
        });
    }

    private static long[] prepend(long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = 1;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private Shape batched(Shape shape) {
        long[] dims = shape.getShape().clone();
        dims[0] = batch;
        return new Shape(dims);
    }

    /**
     * Each one's median milliseconds. Round robin in passes: in each pass each one runs once untimed
     * (its weights back in cache, as when a network runs again) and {@link LatencyProfiler#RUNS_PER_PASS}
     * times timed, so that a machine's drift spreads over all of them.
     */
    private double[] time(List<Timed> timed, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        List<NDArray> inputs = new ArrayList<>();
        for (Timed t : timed) {
            inputs.add(manager.randomNormal(t.input()));
        }
        int perPass = LatencyProfiler.RUNS_PER_PASS;
        int passes = (runs + perPass - 1) / perPass;
        double[][] samples = new double[timed.size()][passes * perPass];
        for (int round = 0; round < warmup; round++) {
            for (int i = 0; i < timed.size(); i++) {
                run(timed.get(i), store, inputs.get(i), manager);
            }
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < timed.size(); i++) {
                run(timed.get(i), store, inputs.get(i), manager);
                for (int r = 0; r < perPass; r++) {
                    samples[i][pass * perPass + r] = run(timed.get(i), store, inputs.get(i), manager);
                }
            }
        }
        double[] medians = new double[timed.size()];
        for (int i = 0; i < timed.size(); i++) {
            Arrays.sort(samples[i]);
            medians[i] = samples[i][samples[i].length / 2];
        }
        return medians;
    }

    private static double run(Timed timed, ParameterStore store, NDArray x, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(step);
            long start = System.nanoTime();
            try {
                timed.forward().apply(store, input);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cpu: cannot time " + timed.key() + " alone: " + e.getMessage(), e);
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private record Timed(String key, Shape input, Forward forward) {}

    @FunctionalInterface
    private interface Forward {
        NDList apply(ParameterStore store, NDArray x);
    }
}
