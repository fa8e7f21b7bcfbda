package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Long-lived host memory for libtorch arrays, written in place from Java.
 *
 * <p>DJL's {@code array.set(float[])} and {@code manager.create(float[])} copy into a fresh direct
 * buffer that libtorch then aliases, and the old one is freed only when a GC runs. Done for every
 * parameter and input at every step, these buffers pile up between collections, fragment the
 * native heap, and the activations of the next step keep landing on fresh pages (page faults).
 * Buffers from here are allocated once, 64-byte aligned, and reused.
 */
public final class HostBuffer {

    private static final int ALIGNMENT = 64;

    private HostBuffer() {}

    /** A direct, native-order, 64-byte aligned buffer of exactly {@code floats} floats. */
    public static ByteBuffer allocate(int floats) {
        int bytes = Math.multiplyExact(floats, Float.BYTES);
        int padded = (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        ByteBuffer aligned = ByteBuffer.allocateDirect(padded + ALIGNMENT).alignedSlice(ALIGNMENT);
        aligned.limit(bytes);
        return aligned.slice().order(ByteOrder.nativeOrder());
    }

    /**
     * Moves the array's values into a new host buffer that the array then aliases, and returns a view
     * through which writes reach the array directly.
     */
    public static FloatBuffer pin(NDArray array) {
        float[] current = array.toFloatArray();
        ByteBuffer bytes = allocate(current.length);
        bytes.asFloatBuffer().put(current);
        array.set(bytes);
        return bytes.asFloatBuffer();
    }
}
