package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/** Convolution, optional batch norm, optional ReLU6: the unit every layer of the space is made of. */
public final class ConvBnAct extends InitOnceBlock implements OnnxExportable {

    private final Conv2dLayer conv;
    private final BatchNorm2dLayer norm;
    private final boolean relu6;

    public ConvBnAct(
            int in, int out, int kernel, int stride, int groups, boolean relu6, NormConfig normConfig) {
        conv = addChildBlock("conv", new Conv2dLayer(in, out, kernel, stride, groups));
        norm = normConfig.enabled() ? addChildBlock("bn", new BatchNorm2dLayer(out, normConfig.eps())) : null;
        this.relu6 = relu6;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = conv.forward(store, inputs, training, params);
        if (norm != null) {
            x = norm.forward(store, x, training, params);
        }
        if (relu6) {
            NDArray activated = Relu6.apply(x.singletonOrThrow());
            x = new NDList(activated);
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        if (norm != null) {
            norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    /** One Conv with batch norm folded into its weights and bias, then Clip(0, 6) for ReLU6. */
    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        float[] weights = graph.values(conv.weight());
        float[] bias = null;
        if (norm != null) {
            double[][] affine = norm.evaluationAffine(graph);
            int perChannel = weights.length / affine[0].length;
            bias = new float[affine[0].length];
            for (int c = 0; c < bias.length; c++) {
                for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                    weights[i] = (float) (weights[i] * affine[0][c]);
                }
                bias[c] = (float) affine[1][c];
            }
        }
        String out = conv.toOnnx(graph, inputs.get(0), weights, bias);
        return List.of(relu6 ? graph.clip(out, 0f, 6f) : out);
    }

    public Conv2dLayer conv() {
        return conv;
    }
}
