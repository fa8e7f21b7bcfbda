package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Convolution, optional batch norm, optional ReLU6: the unit every layer of the space is made of. */
public final class ConvBnAct extends InitOnceBlock {

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

    public Conv2dLayer conv() {
        return conv;
    }
}
