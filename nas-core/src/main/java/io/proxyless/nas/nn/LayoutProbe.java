package io.proxyless.nas.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * One layer run forward and backward on the same data in NCHW and channels-last: how far the
 * output, input gradient and weight gradient of the second are from the first's.
 */
final class LayoutProbe {

    /** What {@link #run} returns, in order. */
    static final String[] RESULTS = {"output", "input gradient", "weight gradient"};

    private final String name;
    private final long[] sample;
    private final int batch;
    private final Shape weightShape;
    private final BiFunction<NDArray, NDArray, NDArray> layer;

    private LayoutProbe(String name, long[] sample, int batch, Shape weightShape,
            BiFunction<NDArray, NDArray, NDArray> layer) {
        this.name = name;
        this.sample = sample;
        this.batch = batch;
        this.weightShape = weightShape;
        this.layer = layer;
    }

    /** A square convolution without bias, "same" padding: {@link Conv2dLayer}'s own computation. */
    static LayoutProbe convolution(int in, int out, int kernel, int stride, int groups, int size, int batch) {
        String kind = groups == 1 ? "convolution " + in + "->" + out : "depthwise convolution " + in;
        return new LayoutProbe(
                String.format(Locale.ROOT, "%dx%d/%d %s @%dx%d (batch %d)", kernel, kernel, stride, kind, size, size, batch),
                new long[] {in, size, size}, batch, new Shape(out, in / groups, kernel, kernel),
                (x, w) -> Conv2dLayer.convolve(x, w, stride, groups));
    }

    /** Training-mode batch norm: {@link BatchNorm2dLayer}'s own computation; the weight is gamma. */
    static LayoutProbe batchNorm(int channels, int size, int batch) {
        return new LayoutProbe(
                String.format(Locale.ROOT, "batch norm %d @%dx%d (batch %d)", channels, size, size, batch),
                new long[] {channels, size, size}, batch, new Shape(channels),
                (x, gamma) -> {
                    NDManager manager = x.getManager();
                    Shape shape = gamma.getShape();
                    return BatchNorm2dLayer.batchNorm(x, manager.zeros(shape), manager.ones(shape), gamma,
                            manager.zeros(shape), true, 1e-3f);
                });
    }

    String name() {
        return name;
    }

    /** The largest difference over output and gradients, relative to each one's largest NCHW value. */
    double error() {
        float[][] nchw = run(MemoryFormat.NCHW);
        float[][] channelsLast = run(MemoryFormat.CHANNELS_LAST);
        double worst = 0;
        for (int i = 0; i < nchw.length; i++) {
            worst = Math.max(worst, relativeError(nchw[i], channelsLast[i]));
        }
        return worst;
    }

    /**
     * Which of this layer's results differ between the two layouts by more than {@code tolerance} of
     * their largest NCHW value, named with the layer and its widths, or null when all agree.
     *
     * @param nchw the results of {@link #run} in NCHW
     * @param channelsLast the results of {@link #run} channels-last
     */
    String mismatch(float[][] nchw, float[][] channelsLast, double tolerance) {
        for (int i = 0; i < RESULTS.length; i++) {
            double error = relativeError(nchw[i], channelsLast[i]);
            if (!(error <= tolerance)) {
                return String.format(Locale.ROOT, "the %s: its %s differs between NCHW and channels-last by %.3g"
                        + " (relative to the largest value)", name, RESULTS[i], error);
            }
        }
        return null;
    }

    /** Output, input gradient and weight gradient ({@link #RESULTS}), in logical (NCHW) order. */
    float[][] run(MemoryFormat format) {
        Random random = new Random(7);
        float[] images = gaussian(random, Math.toIntExact(batch * sample[0] * sample[1] * sample[2]));
        float[] weights = gaussian(random, Math.toIntExact(weightShape.size()));
        // The channels-last decision is the CPU's (oneDNN's kernels), so the probe runs there.
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ByteBuffer host = HostBuffer.allocate(images.length);
            format.write(images, sample, host.asFloatBuffer());
            NDArray x = format.wrap(manager, host, batch, sample);
            NDArray w = manager.create(weights, weightShape);
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            float[] output;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = layer.apply(x, w);
                output = y.toFloatArray();
                float[] upstream = gaussian(new Random(11), output.length);
                collector.backward(y.mul(manager.create(upstream, y.getShape())).sum());
            }
            float[][] results = {output, x.getGradient().toFloatArray(), w.getGradient().toFloatArray()};
            // x aliases the host buffer: it must outlive every use of x.
            Reference.reachabilityFence(host);
            return results;
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double relativeError(float[] expected, float[] actual) {
        double scale = Double.MIN_NORMAL;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst / scale;
    }
}
