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
 * Candidates and networks are timed round robin, one run each per pass, so that a machine's drift
 * spreads over all of them. Milliseconds, inference, after warmup runs.
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
        try (Supernet supernet = Supernet.of(space, device)) {
            List<Timed> candidates = candidates(supernet);
            List<Map<String, List<String>>> networks = new ArrayList<>();
            Random random = new Random(seed);
            for (int n = 0; n < FIXED_NETWORKS; n++) {
                networks.add(randomNetwork(supernet.choices(), random));
            }
            Map<String, Double> entries = new LinkedHashMap<>();
            double[] networkMillis = new double[networks.size()];
            try (NDManager manager = device.newManager(); NoGrad ignored = NoGrad.enter()) {
                List<Timed> timed = new ArrayList<>(candidates);
                for (int n = 0; n < networks.size(); n++) {
                    timed.add(network(supernet, networks.get(n), "network " + n));
                }
                double[] medians = time(timed, manager);
                for (int i = 0; i < candidates.size(); i++) {
                    entries.put(candidates.get(i).key(), medians[i]);
                }
                System.arraycopy(medians, candidates.size(), networkMillis, 0, networks.size());
            }
            double[] fixed = new double[networks.size()];
            for (int n = 0; n < networks.size(); n++) {
                double cells = 0;
                for (Map.Entry<String, List<String>> cell : networks.get(n).entrySet()) {
                    Double cost = entries.get(SpaceCells.key(cell.getKey(), cell.getValue().get(0)));
                    cells += cost == null ? 0 : cost;
                }
                fixed[n] = Math.max(0, networkMillis[n] - cells);
            }
            Arrays.sort(fixed);
            Map<String, Double> table = new LinkedHashMap<>();
            table.put(SpaceLatency.FIXED, fixed[fixed.length / 2]);
            table.putAll(entries);
            return new LatencyTable(LatencyProfiler.HARDWARE, "ms", "cpu (measured by cell)", table);
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

    /** Milliseconds of whole networks of the space, each its median run: what the table predicts. */
    public double[] timeNetworks(Supernet supernet, List<Map<String, List<String>>> networks) {
        try (NDManager manager = device.newManager(); NoGrad ignored = NoGrad.enter()) {
            List<Timed> timed = new ArrayList<>();
            for (int n = 0; n < networks.size(); n++) {
                timed.add(network(supernet, networks.get(n), "network " + n));
            }
            return time(timed, manager);
        }
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

    /** Each one's median milliseconds; one untimed and one timed run per pass, round robin. */
    private double[] time(List<Timed> timed, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        List<NDArray> inputs = new ArrayList<>();
        for (Timed t : timed) {
            inputs.add(manager.randomNormal(t.input()));
        }
        double[][] samples = new double[timed.size()][runs];
        for (int round = 0; round < warmup; round++) {
            for (int i = 0; i < timed.size(); i++) {
                run(timed.get(i), store, inputs.get(i), manager);
            }
        }
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < timed.size(); i++) {
                samples[i][r] = run(timed.get(i), store, inputs.get(i), manager);
            }
        }
        double[] medians = new double[timed.size()];
        for (int i = 0; i < timed.size(); i++) {
            Arrays.sort(samples[i]);
            medians[i] = samples[i][runs / 2];
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
