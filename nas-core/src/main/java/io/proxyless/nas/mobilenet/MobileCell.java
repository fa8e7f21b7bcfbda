package io.proxyless.nas.mobilenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/** A searchable cell: a layer (usually a {@link io.proxyless.nas.choice.LayerChoice}) plus an optional identity shortcut. */
public final class MobileCell extends InitOnceBlock implements OnnxExportable {

    private final Block body;
    private final boolean shortcut;

    public MobileCell(Block body, boolean shortcut) {
        this.body = addChildBlock("body", body);
        this.shortcut = shortcut;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray out = body.forward(store, inputs, training, params).singletonOrThrow();
        // The input first: libtorch gives a sum the layout of its first operand, and the body may
        // return NCHW (the zero op's zeros) while the network runs channels-last.
        return new NDList(shortcut ? inputs.singletonOrThrow().add(out) : out);
    }

    /** A cell whose choice is {@code zero} is its shortcut alone: the input, unchanged. */
    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        String out = graph.child(body, "body", inputs.get(0));
        return List.of(shortcut ? graph.add(inputs.get(0), out) : out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }
}
