package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands whose memory libtorch owns.
 *
 * <p>DJL's {@code x.div(n)}, {@code x.minimum(n)} and {@code Activation.relu6} wrap the number in an
 * array that points into a Java direct buffer, run the op, and close the array. Autograd keeps the
 * operand for backward, but nothing keeps the Java buffer: after a garbage collection backward reads
 * freed memory and the gradients are garbage (run-to-run different gradients at the same weights,
 * see {@code GcDuringStepTest}). An operand made here comes from {@code torch::full}, so the saved
 * tensor owns it.
 */
public final class TorchScalar {

    private TorchScalar() {}

    /** A 0-d float array with this value, attached to {@code manager}. */
    public static NDArray of(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }

    /**
     * ReLU6 as {@code relu(x) - relu(x - 6)}. DJL has no hardtanh, and {@code relu(x).minimum(6)} pays
     * for minimum's backward (where, eq, gt, masked_fill); two ReLUs back-propagate with two cheap
     * threshold kernels, about half the time (docs/performance.md). The result is exact: below 2^24 the
     * subtractions of 6 are exact in float, so values above 6 give exactly 6.
     */
    public static NDArray relu6(NDArray x) {
        NDArray above = x.sub(of(x.getManager(), 6f)).getNDArrayInternal().relu();
        return x.getNDArrayInternal().relu().sub(above);
    }
}
