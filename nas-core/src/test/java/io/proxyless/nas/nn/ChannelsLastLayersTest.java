package io.proxyless.nas.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kind of layer the spaces use, over the widths, resolutions and batch sizes of the 28x28 and
 * 32x32 plans (and widths of 40 and 72, where libtorch's AVX-512 kernel fails), computes the same
 * output and gradients channels-last as NCHW, to float rounding. Runs in the layout this process
 * trains in: Maven caps oneDNN at AVX2 as the launchers do, so that is channels-last.
 */
class ChannelsLastLayersTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void everyLayerKindAgreesWithNchw() {
        assumeTrue(MemoryFormat.forThisProcess() == MemoryFormat.CHANNELS_LAST, "this process trains in NCHW");
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
        List<String> failures = new ArrayList<>();
        for (LayoutProbe probe : probes) {
            double error = probe.error();
            if (!(error <= TOLERANCE)) {
                failures.add(String.format(Locale.ROOT, "%s: %.3g", probe.name(), error));
            }
        }
        assertTrue(failures.isEmpty(), probes.size() + " layers, channels-last differs from NCHW (relative to the"
                + " largest value) in: " + failures);
    }
}
