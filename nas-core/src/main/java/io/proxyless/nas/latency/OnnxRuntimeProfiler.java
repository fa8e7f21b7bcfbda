package io.proxyless.nas.latency;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.onnx.OnnxGraph;
import io.proxyless.nas.onnx.OnnxRuntimeSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code onnxruntime} table: the ops of a space exported to ONNX as the saved model exports them
 * (batch norm folded, ReLU6 as Clip) and timed in ONNX Runtime, one thread, so that a search
 * optimises the latency of the file that ships rather than of libtorch.
 *
 * <p>An op is priced inside a network, not alone: a model run costs a fixed overhead besides its
 * kernels (binding the input, allocating and handing back the output), which a network pays once,
 * and timed alone every op would pay it again. So each {@link LatencyProfiler#coveringChains covering
 * chain} is exported as its prefixes (its first op, its first two, ...), every prefix is timed, and
 * op {@code k} costs the median of prefix {@code k} less the median of prefix {@code k - 1}. The
 * first op (the stem) keeps the run's overhead, which the network pays once.
 */
public final class OnnxRuntimeProfiler {

    public static final String HARDWARE = "onnxruntime";

    /** Revision of how ops are exported and timed, part of a cached table's key. */
    public static final int REVISION = 1;

    private final int batch;
    private final int warmup;
    private final int runs;

    public OnnxRuntimeProfiler(int batch, int warmup, int runs) {
        this.batch = batch;
        this.warmup = warmup;
        this.runs = runs;
    }

    /** Milliseconds of every distinct op of the space, by key, in layout order. */
    public Map<String, Double> profile(SpaceLayout layout) {
        return LatencyProfiler.tableEntries(layout, List.of(sampleChains(LatencyProfiler.coveringChains(layout))));
    }

    /**
     * Each op's in-network milliseconds, one value per chain that runs it. Prefixes are timed round
     * robin in passes ({@link LatencyProfiler#RUNS_PER_PASS} runs each per pass), so that a machine's
     * drift spreads over all of them.
     */
    public Map<String, double[]> sampleChains(List<List<OpShape>> chains) {
        List<List<Runner>> prefixes = new ArrayList<>();
        try {
            for (List<OpShape> chain : chains) {
                prefixes.add(prefixRunners(chain));
            }
            for (int round = 0; round < warmup; round++) {
                prefixes.forEach(chain -> chain.forEach(Runner::time));
            }
            List<List<double[]>> samples = new ArrayList<>();
            for (List<Runner> chain : prefixes) {
                samples.add(chain.stream().map(r -> new double[runs]).toList());
            }
            int done = 0;
            while (done < runs) {
                int inPass = Math.min(LatencyProfiler.RUNS_PER_PASS, runs - done);
                for (int c = 0; c < prefixes.size(); c++) {
                    for (int k = 0; k < prefixes.get(c).size(); k++) {
                        // Untimed first: the prefix's weights back in cache, as in a served network.
                        prefixes.get(c).get(k).time();
                        for (int r = 0; r < inPass; r++) {
                            samples.get(c).get(k)[done + r] = prefixes.get(c).get(k).time();
                        }
                    }
                }
                done += inPass;
            }
            Map<String, List<Double>> costs = new LinkedHashMap<>();
            for (int c = 0; c < chains.size(); c++) {
                double previous = 0;
                for (int k = 0; k < chains.get(c).size(); k++) {
                    double median = median(samples.get(c).get(k));
                    costs.computeIfAbsent(chains.get(c).get(k).key(), key -> new ArrayList<>())
                            .add(Math.max(0, median - previous));
                    previous = median;
                }
            }
            Map<String, double[]> out = new LinkedHashMap<>();
            costs.forEach((key, values) -> out.put(key, values.stream().mapToDouble(Double::doubleValue).toArray()));
            return out;
        } finally {
            prefixes.forEach(chain -> chain.forEach(Runner::close));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The chain's prefixes as ONNX Runtime sessions, shortest first. */
    private List<Runner> prefixRunners(List<OpShape> chain) {
        OpShape first = chain.get(0);
        long[] in = {first.inC(), first.inH(), first.inW()};
        List<Runner> runners = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Block> blocks = new ArrayList<>();
            Shape[] shapes = {new Shape(batch, in[0], in[1], in[2])};
            for (OpShape op : chain) {
                Block block = LatencyProfiler.blockFor(op);
                block.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
                block.initialize(manager, DataType.FLOAT32, shapes);
                shapes = block.getOutputShapes(shapes);
                blocks.add(block);
                long[] out = shapes[0].getShape();
                OnnxGraph graph = new OnnxGraph(Map.of());
                String x = "input";
                for (int k = 0; k < blocks.size(); k++) {
                    x = graph.child(blocks.get(k), "op" + k, x);
                }
                runners.add(new Runner(graph.toModel("input", in, x, "output", Arrays.copyOfRange(out, 1, out.length),
                        Map.of(), "profiling", op.key()), batch, in));
            }
        } catch (RuntimeException e) {
            runners.forEach(Runner::close);
            throw e;
        }
        return runners;
    }

    /** A session and its input in native memory, run again and again. */
    private static final class Runner implements AutoCloseable {
        private final OnnxRuntimeSession session;
        private final OnnxRuntimeSession.Input input;

        Runner(byte[] model, int batch, long[] sample) {
            int size = batch;
            for (long d : sample) {
                size *= (int) d;
            }
            float[] values = new float[size];
            SplittableRandom random = new SplittableRandom(size);
            for (int i = 0; i < size; i++) {
                values[i] = (float) random.nextGaussian();
            }
            this.session = new OnnxRuntimeSession(model, 1);
            this.input = session.input(values, batch, sample);
        }

        double time() {
            long start = System.nanoTime();
            session.runDiscarding(input);
            return (System.nanoTime() - start) / 1e6;
        }

        @Override
        public void close() {
            input.close();
            session.close();
        }
    }
}
