package io.proxyless.nas.choice;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/**
 * The {@code zero} candidate: outputs zeros shaped like its input. Inside a residual cell the
 * shortcut then passes the input through, so choosing it removes the layer.
 */
public final class ZeroOp extends InitOnceBlock implements OnnxExportable {

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow().zerosLike());
    }

    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        return List.of(OnnxGraph.ZERO);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
