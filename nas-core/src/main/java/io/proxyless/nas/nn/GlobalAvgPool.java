package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Global average pooling of NCHW to NC. */
public final class GlobalAvgPool {

    private GlobalAvgPool() {}

    public static NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        // libtorch's mean over several axes is not exposed by DJL's PyTorch engine; flatten H and W.
        return x.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2});
    }
}
