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
}
