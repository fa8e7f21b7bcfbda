package io.proxyless.nas.latency;

import ai.djl.ndarray.types.Shape;

/**
 * A block of one's own that states its multiply-accumulates, for the {@code flops} table: needed by
 * a block that holds parameters but is none of the layers {@link MacCounter} knows.
 */
public interface MacCountable {

    /** Multiply-accumulates of one forward pass at {@code inputShapes} (batch axis included), children included. */
    long macs(Shape[] inputShapes);
}
