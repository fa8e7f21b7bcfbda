package com.example.nas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.choice.InputChoice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.nn.ConvBnAct;
import io.proxyless.nas.nn.GlobalAvgPool;
import io.proxyless.nas.nn.LinearLayer;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceParams;

import java.util.ArrayList;
import java.util.List;

/**
 * A search space that is not MobileNet-shaped: a strided stem, then {@code cells} cells of one width.
 * Each cell runs one op of five (a 3x3 or 5x5 convolution, a 3x3 separable convolution, 3x3 max
 * pooling, or the identity) on an input it chooses among the two outputs before it (the previous
 * cell's, or the one before that: a skip connection), then global average pooling and a linear
 * classifier.
 *
 * <p>Parameters (JSON): {@code input_shape} [channels, height, width] (default [1, 28, 28]),
 * {@code num_classes} (10), {@code width} (16), {@code cells} (4), {@code stem_stride} (2).
 */
public final class SkipCellSpace implements SearchSpace {

    private final SpaceParams params;
    private final int[] inputShape;
    private final int numClasses;
    private final int width;
    private final int cells;
    private final int stemStride;

    public SkipCellSpace(SpaceParams params) {
        params.requireOnly("input_shape", "num_classes", "width", "cells", "stem_stride");
        this.params = params;
        inputShape = params.integers("input_shape", 1, 28, 28);
        numClasses = params.integer("num_classes", 10);
        width = params.integer("width", 16);
        cells = params.integer("cells", 4);
        stemStride = params.integer("stem_stride", 2);
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("space parameter 'input_shape': expected [channels, height, width]");
        }
        if (width < 1 || cells < 1 || numClasses < 2 || stemStride < 1) {
            throw new IllegalArgumentException("space parameters 'width', 'cells' and 'stem_stride' must be >= 1 and"
                    + " 'num_classes' >= 2");
        }
    }

    @Override
    public Block newSupernet() {
        return new Network();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public SpaceParams params() {
        return params;
    }

    /** The five candidate ops of a cell, each keeping the shape. */
    private LayerChoice cellOp(int index) {
        NormConfig norm = NormConfig.defaults();
        Block separable = new SequentialBlock()
                .add(new ConvBnAct(width, width, 3, 1, width, true, norm))
                .add(new ConvBnAct(width, width, 1, 1, 1, false, norm));
        return LayerChoice.builder().setLabel("op" + index)
                .addCandidate("conv3x3", new ConvBnAct(width, width, 3, 1, 1, true, norm))
                .addCandidate("conv5x5", new ConvBnAct(width, width, 5, 1, 1, true, norm))
                .addCandidate("sepconv3x3", separable)
                .addCandidate("maxpool3x3", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(1, 1), new Shape(1, 1)))
                .addCandidate("identity", Blocks.identityBlock())
                .build();
    }

    private final class Network extends AbstractBlock {

        private final Block stem;
        private final List<InputChoice> inputs = new ArrayList<>();
        private final List<Block> ops = new ArrayList<>();
        private final LinearLayer classifier;

        Network() {
            stem = addChildBlock("stem", new ConvBnAct(inputShape[0], width, 3, stemStride, 1, true,
                    NormConfig.defaults()));
            for (int k = 0; k < cells; k++) {
                if (k > 0) {
                    inputs.add(addChildBlock("in" + k, InputChoice.builder().setLabel("in" + k).setNumCandidates(2)
                            .build()));
                }
                ops.add(addChildBlock("cell" + k, cellOp(k)));
            }
            classifier = addChildBlock("classifier", new LinearLayer(width, numClasses));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList x, boolean training,
                PairList<String, Object> params) {
            List<NDArray> outputs = new ArrayList<>();
            outputs.add(stem.forward(store, x, training, params).singletonOrThrow());
            for (int k = 0; k < cells; k++) {
                NDArray in = outputs.get(outputs.size() - 1);
                if (k > 0) {
                    // The previous cell's output, or the one before it (the stem's, for the second cell).
                    NDList candidates = new NDList(outputs.get(outputs.size() - 1), outputs.get(outputs.size() - 2));
                    in = inputs.get(k - 1).forward(store, candidates, training, params).singletonOrThrow();
                }
                outputs.add(ops.get(k).forward(store, new NDList(in), training, params).singletonOrThrow());
            }
            NDArray pooled = GlobalAvgPool.apply(outputs.get(outputs.size() - 1));
            return classifier.forward(store, new NDList(pooled), training, params);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            stem.initialize(manager, dataType, inputShapes);
            Shape[] shape = stem.getOutputShapes(inputShapes);
            for (int k = 0; k < cells; k++) {
                if (k > 0) {
                    inputs.get(k - 1).initialize(manager, dataType, shape[0], shape[0]);
                }
                ops.get(k).initialize(manager, dataType, shape);
            }
            classifier.initialize(manager, dataType, new Shape(shape[0].get(0), width));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
        }
    }
}
