package io.proxyless.nas.data;

import java.io.Serializable;

/**
 * Exact per-channel sums of 8-bit pixel values and of their squares: integers, so partial sums
 * merge in any order to the same total, and the normalisation they give does not depend on the
 * partitioning.
 */
public final class PixelSums implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] sum;
    private final long[] sumOfSquares;
    private long pixelsPerChannel;

    public PixelSums(int channels) {
        sum = new long[channels];
        sumOfSquares = new long[channels];
    }

    /** Adds one image, CHW. */
    public void add(byte[] pixels, int offset, int channels, int pixelsPerImageChannel) {
        for (int c = 0; c < channels; c++) {
            long s = 0;
            long q = 0;
            int base = offset + c * pixelsPerImageChannel;
            for (int i = 0; i < pixelsPerImageChannel; i++) {
                int v = pixels[base + i] & 0xff;
                s += v;
                q += v * v;
            }
            sum[c] += s;
            sumOfSquares[c] += q;
        }
        pixelsPerChannel += pixelsPerImageChannel;
    }

    public PixelSums merge(PixelSums other) {
        for (int c = 0; c < sum.length; c++) {
            sum[c] += other.sum[c];
            sumOfSquares[c] += other.sumOfSquares[c];
        }
        pixelsPerChannel += other.pixelsPerChannel;
        return this;
    }

    /** The mean and standard deviation of values scaled to [0, 1]. */
    public Normalization normalization() {
        if (pixelsPerChannel == 0) {
            throw new IllegalStateException("no pixels to compute a normalisation from");
        }
        float[] mean = new float[sum.length];
        float[] std = new float[sum.length];
        for (int c = 0; c < sum.length; c++) {
            double m = sum[c] / (255.0 * pixelsPerChannel);
            double second = sumOfSquares[c] / (255.0 * 255.0 * pixelsPerChannel);
            mean[c] = (float) m;
            // A constant channel would divide by zero: it then only gets centred.
            std[c] = (float) Math.max(Math.sqrt(Math.max(0, second - m * m)), 1e-3);
        }
        return new Normalization(mean, std);
    }
}
