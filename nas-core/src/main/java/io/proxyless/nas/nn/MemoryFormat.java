package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * How a batch of images lies in memory. The array's shape is NCHW either way; channels-last only
 * changes the strides, and libtorch's convolution, batch-norm and elementwise kernels keep the
 * layout of their input, so the whole network then runs channels-last without a reorder per layer.
 * Which one a process uses is decided by {@link MemoryFormatCheck}.
 */
public enum MemoryFormat {
    NCHW,
    CHANNELS_LAST;

    /** The property that overrides the check: {@code auto} (default), {@code nchw} or {@code channels_last}. */
    public static final String PROPERTY = "proxyless.memory_format";

    /** The format this process trains in: {@link #PROPERTY} if set, else what the check decided. */
    public static MemoryFormat forThisProcess() {
        return MemoryFormatCheck.decided();
    }

    /**
     * Writes {@code images} (each stored C, H, W, as datasets hold them) into {@code dst} in this
     * format's element order.
     */
    public void write(float[] images, long[] sampleShape, FloatBuffer dst) {
        if (!permutes(sampleShape)) {
            dst.put(images);
            return;
        }
        int channels = (int) sampleShape[0];
        int pixels = (int) (sampleShape[1] * sampleShape[2]);
        int perImage = channels * pixels;
        int base = dst.position();
        for (int image = 0; image < images.length / perImage; image++) {
            int offset = image * perImage;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < pixels; p++) {
                    dst.put(base + offset + p * channels + c, images[offset + c * pixels + p]);
                }
            }
        }
        dst.position(base + images.length);
    }

    /**
     * An NCHW-shaped array over host memory written by {@link #write}; libtorch aliases the memory,
     * so it must stay unchanged while the array is in use.
     */
    public NDArray wrap(NDManager manager, ByteBuffer host, long batch, long[] sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        if (this == NCHW || sampleShape.length != 3) {
            return manager.create(host, new Shape(shape), DataType.FLOAT32);
        }
        return manager.create(host, new Shape(batch, shape[2], shape[3], shape[1]), DataType.FLOAT32)
                .transpose(0, 3, 1, 2);
    }

    /** Whether the element order differs from C, H, W: with one channel both orders are the same. */
    private boolean permutes(long[] sampleShape) {
        return this == CHANNELS_LAST && sampleShape.length == 3 && sampleShape[0] > 1;
    }
}
