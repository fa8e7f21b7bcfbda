package io.proxyless.nas.latency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.mobilenet.MbConv;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.nn.ConvBnAct;
import io.proxyless.nas.nn.GlobalAvgPool;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.LinearLayer;
import io.proxyless.nas.nn.NoGrad;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures ops with DJL on this machine: inference forward at a batch size, after warmup runs, the
 * median of timed runs, in milliseconds. What the {@code cpu} table is made of.
 */
public final class LatencyProfiler {

    public static final String HARDWARE = "cpu";

    /**
     * Revision of the timed ops' implementation, part of a cached table's key: bump it when an op
     * gets faster or slower by a code change, so no table measured before is reused
     * (2: ReLU6 as libtorch's hardtanh, batch norm without DJL's axis wrapper; 3: the launchers cap
     * oneDNN at AVX2, see MemoryFormatCheck).
     */
    public static final int OPS_REVISION = 3;

    /** Timed runs of a block in a row within one pass. */
    static final int RUNS_PER_PASS = 3;

    private final ComputeDevice device;
    private final int batch;
    private final int warmup;
    private final int runs;

    /** Times on the CPU, as the {@code cpu} table does. */
    public LatencyProfiler(int batch, int warmup, int runs) {
        this(ComputeDevice.CPU, batch, warmup, runs);
    }

    public LatencyProfiler(ComputeDevice device, int batch, int warmup, int runs) {
        this.device = device;
        this.batch = batch;
        this.warmup = warmup;
        this.runs = runs;
    }

    /**
     * Median in-network milliseconds of every distinct op of a space, by key: ops are timed inside
     * the {@link #coveringChains chains} that run them, as a child network runs them.
     */
    public Map<String, Double> profile(SpaceLayout layout) {
        return tableEntries(layout, List.of(sampleChains(coveringChains(layout))));
    }

    /**
     * The table's entries from pooled samples: each distinct op of the space, in layout order, at its
     * median. Keys the space does not have (e.g. whole networks timed alongside) are ignored.
     *
     * @throws IllegalStateException if no sample covers one of the space's ops
     */
    public static Map<String, Double> tableEntries(SpaceLayout layout, List<Map<String, double[]>> parts) {
        Map<String, Double> measured = medians(parts);
        Map<String, Double> entries = new LinkedHashMap<>();
        for (OpShape op : layout.distinctOps()) {
            Double ms = measured.get(op.key());
            if (ms == null) {
                throw new IllegalStateException("the profiling networks did not run " + op.key());
            }
            entries.put(op.key(), ms);
        }
        return entries;
    }

    /**
     * Child networks that together run every candidate of every cell: chain {@code j} takes
     * candidate {@code (j + i) mod n_i} in cell {@code i}, with the fixed parts around them.
     * Each is a list of ops in network order; {@code zero} candidates are left out.
     */
    public static List<List<OpShape>> coveringChains(SpaceLayout layout) {
        int most = layout.cells().values().stream().mapToInt(List::size).max().orElse(1);
        List<OpShape> fixed = layout.fixed();
        List<List<OpShape>> chains = new ArrayList<>();
        for (int j = 0; j < most; j++) {
            List<OpShape> chain = new ArrayList<>(fixed.subList(0, 2));
            int i = 0;
            for (List<OpShape> candidates : layout.cells().values()) {
                OpShape op = candidates.get((j + i++) % candidates.size());
                if (op != null) {
                    chain.add(op);
                }
            }
            chain.addAll(fixed.subList(2, fixed.size()));
            chains.add(chain);
        }
        return chains;
    }

    /** Ops of a space as a network runs them, timed one by one. */
    public Map<String, double[]> sampleChains(List<List<OpShape>> chains) {
        return sample(chains.stream().map(this::timed).toList());
    }

    /** A chain of ops as blocks keyed by op, from an input at this profiler's batch. */
    public TimedChain timed(List<OpShape> chain) {
        OpShape first = chain.get(0);
        return new TimedChain(chain.stream().map(OpShape::key).toList(),
                chain.stream().map(LatencyProfiler::blockFor).toList(),
                new Shape(batch, first.inC(), first.inH(), first.inW()));
    }

    /** Blocks run in sequence from an input of this shape, each timed under its key. */
    public record TimedChain(List<String> keys, List<Block> blocks, Shape input) {}

    /**
     * Times each block inside each chain. Every chain first runs {@code warmup} times, in turn, so
     * that JIT and library warm-up do not fall on the first chains. The timed runs then go round
     * robin in passes: each chain runs once untimed (its weights back in cache, as in a network the
     * previous inference touched) and {@link #RUNS_PER_PASS} times timed, and every timed run gives
     * one sample of each of its blocks. On a shared machine the speed drifts by tens of percent
     * within a minute; timing chain after chain would charge that drift to whichever ran in the slow
     * period, while passes spread it over all of them. An op measured alone runs with its input and
     * weights hot in cache and without the previous op's output to allocate around; inside a network
     * it does not (docs/latency.md).
     *
     * @return milliseconds samples by key
     */
    public Map<String, double[]> sample(List<TimedChain> chains) {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        try (NDManager manager = device.newManager();
                NoGrad ignored = NoGrad.enter()) {
            ParameterStore store = new ParameterStore(manager, false);
            List<NDArray> xs = new ArrayList<>();
            for (TimedChain chain : chains) {
                Shape[] shapes = {chain.input()};
                for (Block block : chain.blocks()) {
                    block.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
                    block.initialize(manager, DataType.FLOAT32, shapes);
                    shapes = block.getOutputShapes(shapes);
                }
                xs.add(manager.randomNormal(chain.input()));
            }
            double[] millis = new double[chains.stream().mapToInt(c -> c.blocks().size()).max().orElse(0)];
            for (int round = 0; round < warmup; round++) {
                for (int c = 0; c < chains.size(); c++) {
                    runChain(chains.get(c).blocks(), store, xs.get(c), manager, millis);
                }
            }
            int passes = (runs + RUNS_PER_PASS - 1) / RUNS_PER_PASS;
            for (int pass = 0; pass < passes; pass++) {
                for (int c = 0; c < chains.size(); c++) {
                    TimedChain chain = chains.get(c);
                    runChain(chain.blocks(), store, xs.get(c), manager, millis);
                    for (int r = 0; r < RUNS_PER_PASS; r++) {
                        runChain(chain.blocks(), store, xs.get(c), manager, millis);
                        for (int k = 0; k < chain.keys().size(); k++) {
                            samples.computeIfAbsent(chain.keys().get(k), key -> new ArrayList<>()).add(millis[k]);
                        }
                    }
                }
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        samples.forEach((key, values) -> out.put(key, values.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /** The median of each op's samples, pooled over several sample maps (e.g. one per executor). */
    public static Map<String, Double> medians(List<Map<String, double[]>> parts) {
        Map<String, List<double[]>> pooled = new LinkedHashMap<>();
        parts.forEach(part -> part.forEach((key, values) -> pooled.computeIfAbsent(key, k -> new ArrayList<>()).add(values)));
        Map<String, Double> medians = new LinkedHashMap<>();
        pooled.forEach((key, arrays) -> {
            double[] all = arrays.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
            medians.put(key, all[all.length / 2]);
        });
        return medians;
    }

    private static void runChain(List<Block> chain, ParameterStore store, NDArray x, NDManager manager, double[] millis) {
        try (NDManager step = manager.newSubManager()) {
            // Results attach to their input's manager: a per-run input frees every intermediate.
            NDArray input = x.duplicate();
            input.attach(step);
            NDList current = new NDList(input);
            // libtorch runs CPU ops synchronously: each call returns with its result computed, so no
            // copy-out is timed (it would charge each op for moving its whole output).
            for (int k = 0; k < chain.size(); k++) {
                long start = System.nanoTime();
                current = chain.get(k).forward(store, current, false, null);
                millis[k] = (System.nanoTime() - start) / 1e6;
            }
        }
    }

    /** The block that runs an op of the table, as the network runs it. */
    public static Block blockFor(OpShape op) {
        NormConfig norm = NormConfig.defaults();
        return switch (op.kind()) {
            case OpShape.MBCONV -> op.idskip() ? new Residual(() -> new MbConv(op.inC(), op.outC(), op.kernel(),
                    op.stride(), op.expand(), norm)) : new MbConv(op.inC(), op.outC(), op.kernel(), op.stride(), op.expand(), norm);
            case OpShape.LOGITS -> new Logits(op.inC(), op.outC());
            default -> new ConvBnAct(op.inC(), op.outC(), op.kernel(), op.stride(), 1, true, norm);
        };
    }

    /** An MBConv with its identity shortcut, as a cell with idskip runs it. */
    private static final class Residual extends InitOnceBlock implements OnnxExportable {
        private final Block body;

        Residual(Supplier<Block> body) {
            this.body = addChildBlock("body", body.get());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(body.forward(store, in, training, p).singletonOrThrow().add(in.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
            return List.of(graph.add(graph.child(body, "body", inputs.get(0)), inputs.get(0)));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            body.initialize(manager, dataType, inputShapes);
        }
    }

    /** Global average pooling and the classifier. */
    private static final class Logits extends InitOnceBlock implements OnnxExportable {
        private final LinearLayer linear;

        Logits(int in, int classes) {
            linear = addChildBlock("linear", new LinearLayer(in, classes));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList in, boolean training, PairList<String, Object> p) {
            return linear.forward(store, new NDList(GlobalAvgPool.apply(in.singletonOrThrow())), training, p);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return linear.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))});
        }

        @Override
        public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
            return List.of(graph.child(linear, "linear", graph.globalAveragePool(inputs.get(0))));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            linear.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1)));
        }
    }
}
