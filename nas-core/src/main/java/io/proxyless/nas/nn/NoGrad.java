package io.proxyless.nas.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches libtorch's autograd off for the current thread until closed, like {@code torch.no_grad()}.
 * Used to recompute the outputs of gated candidates that did not run: their gate gradient needs the
 * output, not its graph.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
