package io.proxyless.nas.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every kind of layer the spaces use, over the widths, resolutions and batch sizes of the 28x28 and
 * 32x32 plans, and the widths where libtorch's AVX-512 channels-last kernel was seen wrong.
 */
final class LayerSet {

    static final double TOLERANCE = 1e-5;

    private LayerSet() {}

    static List<LayoutProbe> everyKind() {
        List<LayoutProbe> probes = new ArrayList<>();
        int[][] pointwise = {{16, 48}, {24, 72}, {72, 24}, {40, 120}, {120, 40}, {80, 480}, {480, 80}, {24, 40}, {16, 16}};
        for (int size : new int[] {28, 14, 7}) {
            for (int[] channels : pointwise) {
                probes.add(LayoutProbe.convolution(channels[0], channels[1], 1, 1, 1, size, 3));
            }
        }
        probes.add(LayoutProbe.convolution(24, 72, 1, 1, 1, 14, 64));
        probes.add(LayoutProbe.convolution(80, 480, 1, 1, 1, 7, 64));
        for (int[] depthwise : new int[][] {{48, 28}, {72, 14}, {144, 16}, {240, 8}, {576, 4}, {1152, 2}}) {
            for (int kernel : new int[] {3, 5, 7}) {
                for (int stride : new int[] {1, 2}) {
                    probes.add(LayoutProbe.convolution(depthwise[0], depthwise[0], kernel, stride, depthwise[0], depthwise[1], 3));
                }
            }
        }
        probes.add(LayoutProbe.convolution(144, 144, 7, 1, 144, 14, 64));
        probes.add(LayoutProbe.convolution(1, 16, 3, 1, 1, 28, 8));
        probes.add(LayoutProbe.convolution(3, 32, 3, 1, 1, 32, 8));
        for (int[] norm : new int[][] {{16, 28}, {48, 14}, {96, 8}, {576, 4}, {1152, 2}, {640, 1}}) {
            probes.add(LayoutProbe.batchNorm(norm[0], norm[1], 6));
        }
        probes.add(LayoutProbe.batchNorm(48, 28, 64));
        return probes;
    }

    /** The layers whose channels-last results differ from NCHW's, each with its error. */
    static List<String> differing() {
        List<String> failures = new ArrayList<>();
        for (LayoutProbe probe : everyKind()) {
            double error = probe.error();
            if (!(error <= TOLERANCE)) {
                failures.add(String.format(Locale.ROOT, "%s: %.3g", probe.name(), error));
            }
        }
        return failures;
    }
}
