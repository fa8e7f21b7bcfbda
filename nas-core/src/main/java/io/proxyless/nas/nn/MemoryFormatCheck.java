package io.proxyless.nas.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decides, once per process, whether training runs channels-last.
 *
 * <p>Channels-last trains the default space's child networks 1.3-2x faster here, but libtorch
 * 2.7.1's oneDNN picks an AVX-512 kernel for channels-last 1x1 convolutions ({@code brgconv_1x1})
 * that computes wrong outputs for some widths (40 and 72 output channels: errors of the size of
 * the values themselves). Capped at AVX2 with {@code ONEDNN_MAX_CPU_ISA=AVX2} it is right. So
 * channels-last is used only where that kernel cannot be chosen, and only after probe layers of the
 * kinds the space uses give the same outputs and gradients in both layouts.
 */
final class MemoryFormatCheck {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryFormatCheck.class);
    private static final Set<String> CAPPED_ISAS = Set.of("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2");
    private static final double TOLERANCE = 1e-4;

    private MemoryFormatCheck() {}

    /** Holds the decision: made on first use, once per class loader. */
    private static final class Decided {
        static final MemoryFormat FORMAT = decide(System.getProperty(MemoryFormat.PROPERTY, "auto"), System.getenv());
    }

    static MemoryFormat decided() {
        return Decided.FORMAT;
    }

    static MemoryFormat decide(String setting, Map<String, String> env) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "nchw":
                return MemoryFormat.NCHW;
            case "channels_last":
                return MemoryFormat.CHANNELS_LAST;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("system property " + MemoryFormat.PROPERTY + "=" + setting
                        + ": expected auto, nchw or channels_last");
        }
        String refusal = uncappedAvx512(env, cpuFlags());
        if (refusal == null) {
            refusal = probeMismatch();
        }
        if (refusal != null) {
            LOG.warn("Training in NCHW, not channels-last (slower): {}", refusal);
            return MemoryFormat.NCHW;
        }
        LOG.info("Training channels-last: the probe layers agree with NCHW");
        return MemoryFormat.CHANNELS_LAST;
    }

    /** Why oneDNN may pick its AVX-512 kernels here, or null when it cannot. */
    static String uncappedAvx512(Map<String, String> env, Set<String> cpuFlags) {
        if (!cpuFlags.contains("avx512f")) {
            return null;
        }
        for (String name : List.of("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")) {
            String isa = env.get(name);
            if (isa != null && CAPPED_ISAS.contains(isa.trim().toUpperCase(Locale.ROOT))) {
                return null;
            }
        }
        return "this CPU has AVX-512 and ONEDNN_MAX_CPU_ISA is not AVX2, and libtorch 2.7.1's AVX-512"
                + " channels-last 1x1 convolution gives wrong results; set ONEDNN_MAX_CPU_ISA=AVX2 in the"
                + " environment of every JVM that trains (scripts/env.sh and conf/spark-defaults.conf do)";
    }

    /** The CPU's feature flags from /proc/cpuinfo; empty where there is none. */
    static Set<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no /proc/cpuinfo", e);
        }
        return Set.of();
    }

    /** The first probe layer whose outputs or gradients differ between the layouts, or null. */
    static String probeMismatch() {
        List<Probe> probes = new ArrayList<>();
        for (int out : new int[] {16, 40, 72, 144}) {
            probes.add(new Probe("1x1 convolution 24->" + out + " @14x14", 24, 14, new Shape(out, 24, 1, 1),
                    (x, w) -> conv(x, w, 1, 1)));
        }
        probes.add(new Probe("3x3/2 depthwise convolution 48 @28x28", 48, 28, new Shape(48, 1, 3, 3),
                (x, w) -> conv(x, w, 2, 48)));
        probes.add(new Probe("7x7 depthwise convolution 72 @14x14", 72, 14, new Shape(72, 1, 7, 7),
                (x, w) -> conv(x, w, 1, 72)));
        probes.add(new Probe("3x3 convolution 3->16 @28x28", 3, 28, new Shape(16, 3, 3, 3),
                (x, w) -> conv(x, w, 1, 1)));
        probes.add(new Probe("batch norm 40 @14x14", 40, 14, new Shape(40), MemoryFormatCheck::batchNorm));
        for (Probe probe : probes) {
            double error = probe.error();
            if (!(error <= TOLERANCE)) {
                return String.format(Locale.ROOT, "the %s differs between NCHW and channels-last by %.3g"
                        + " (relative to the largest value)", probe.name, error);
            }
        }
        return null;
    }

    private static NDArray conv(NDArray x, NDArray w, int stride, int groups) {
        int pad = (int) w.getShape().get(2) / 2;
        return Conv2d.conv2d(x, w, null, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    private static NDArray batchNorm(NDArray x, NDArray gamma) {
        NDManager manager = x.getManager();
        Shape channels = gamma.getShape();
        return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) manager.zeros(channels), (PtNDArray) manager.ones(channels),
                (PtNDArray) gamma, (PtNDArray) manager.zeros(channels), true, 1.0, 1e-3);
    }

    /** One layer run forward and backward in both layouts on the same data. */
    private record Probe(String name, int channels, int size, Shape weightShape,
            BiFunction<NDArray, NDArray, NDArray> layer) {

        private static final int BATCH = 16;

        double error() {
            long[] sample = {channels, size, size};
            Random random = new Random(7);
            float[] images = gaussian(random, BATCH * channels * size * size);
            float[] weights = gaussian(random, (int) weightShape.size());
            float[][] nchw = run(MemoryFormat.NCHW, sample, images, weights);
            float[][] channelsLast = run(MemoryFormat.CHANNELS_LAST, sample, images, weights);
            double worst = 0;
            for (int i = 0; i < nchw.length; i++) {
                worst = Math.max(worst, relativeError(nchw[i], channelsLast[i]));
            }
            return worst;
        }

        /** Output, input gradient and weight gradient, in logical (NCHW) order. */
        private float[][] run(MemoryFormat format, long[] sample, float[] images, float[] weights) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ByteBuffer host = HostBuffer.allocate(images.length);
                format.write(images, sample, host.asFloatBuffer());
                NDArray x = format.wrap(manager, host, BATCH, sample);
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
