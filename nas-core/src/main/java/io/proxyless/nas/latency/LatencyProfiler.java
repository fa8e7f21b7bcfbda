package io.proxyless.nas.latency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.proxyless.nas.nn.ConvBnAct;
import io.proxyless.nas.nn.GlobalAvgPool;
import io.proxyless.nas.nn.LinearLayer;
import io.proxyless.nas.nn.NoGrad;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.space.MbConv;

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

    private final int batch;
    private final int warmup;
    private final int runs;

    public LatencyProfiler(int batch, int warmup, int runs) {
        this.batch = batch;
        this.warmup = warmup;
        this.runs = runs;
    }

    /** Median milliseconds of each op, by key. */
    public Map<String, Double> profile(List<OpShape> ops) {
        List<Block> blocks = ops.stream().map(LatencyProfiler::blockFor).toList();
        List<Shape> inputs = ops.stream().map(op -> new Shape(batch, op.inC(), op.inH(), op.inW())).toList();
        double[] medians = medians(blocks, inputs);
        Map<String, Double> entries = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            entries.put(ops.get(i).key(), medians[i]);
        }
        return entries;
    }

    /** Median milliseconds of a whole block (e.g. a child network) at an input shape. */
    public double median(Block block, Shape input) {
        return medians(List.of(block), List.of(input))[0];
    }

    /**
     * Median milliseconds of each block. Every block first runs {@code warmup} times, in turn, so
     * that JIT and library warm-up do not fall on the first blocks; then each block is timed
     * {@code runs} times in a row, as a network runs it, with its weights in cache.
     */
    public double[] medians(List<Block> blocks, List<Shape> inputs) {
        try (NDManager manager = NDManager.newBaseManager();
                NoGrad ignored = NoGrad.enter()) {
            ParameterStore store = new ParameterStore(manager, false);
            List<NDArray> xs = new java.util.ArrayList<>();
            for (int b = 0; b < blocks.size(); b++) {
                blocks.get(b).setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
                blocks.get(b).initialize(manager, DataType.FLOAT32, inputs.get(b));
                xs.add(manager.randomNormal(inputs.get(b)));
            }
            for (int round = 0; round < warmup; round++) {
                for (int b = 0; b < blocks.size(); b++) {
                    time(blocks.get(b), store, xs.get(b), manager);
                }
            }
            double[] medians = new double[blocks.size()];
            for (int b = 0; b < blocks.size(); b++) {
                double[] times = new double[runs];
                for (int r = 0; r < runs; r++) {
                    times[r] = time(blocks.get(b), store, xs.get(b), manager);
                }
                Arrays.sort(times);
                medians[b] = times[runs / 2];
            }
            return medians;
        }
    }

    private static double time(Block block, ParameterStore store, NDArray x, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            // Results attach to their input's manager: a per-run input frees every intermediate.
            NDArray input = x.duplicate();
            input.attach(step);
            // libtorch runs CPU ops synchronously: the call returns with the result computed, so no
            // copy-out is timed (it would charge each op for moving its whole output).
            long start = System.nanoTime();
            block.forward(store, new NDList(input), false, null);
            return (System.nanoTime() - start) / 1e6;
        }
    }

    static Block blockFor(OpShape op) {
        NormConfig norm = NormConfig.defaults();
        return switch (op.kind()) {
            case OpShape.MBCONV -> op.idskip() ? new Residual(() -> new MbConv(op.inC(), op.outC(), op.kernel(),
                    op.stride(), op.expand(), norm)) : new MbConv(op.inC(), op.outC(), op.kernel(), op.stride(), op.expand(), norm);
            case OpShape.LOGITS -> new Logits(op.inC(), op.outC());
            default -> new ConvBnAct(op.inC(), op.outC(), op.kernel(), op.stride(), 1, true, norm);
        };
    }

    /** An MBConv with its identity shortcut, as a cell with idskip runs it. */
    private static final class Residual extends AbstractBlock {
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
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            body.initialize(manager, dataType, inputShapes);
        }
    }

    /** Global average pooling and the classifier. */
    private static final class Logits extends AbstractBlock {
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
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            linear.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1)));
        }
    }
}
