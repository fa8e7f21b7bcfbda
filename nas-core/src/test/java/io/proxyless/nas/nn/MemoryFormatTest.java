package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MemoryFormatTest {

    /** Two 2x2x3 images, value = 100 * image + 10 * channel + pixel, stored C, H, W. */
    private static final long[] SAMPLE = {3, 2, 2};
    private static final float[] IMAGES = new float[24];

    static {
        for (int image = 0; image < 2; image++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 4; p++) {
                    IMAGES[image * 12 + c * 4 + p] = 100 * image + 10 * c + p;
                }
            }
        }
    }

    @Test
    void channelsLastWritesPixelsWithTheirChannelsTogether() {
        FloatBuffer dst = FloatBuffer.allocate(IMAGES.length);
        MemoryFormat.CHANNELS_LAST.write(IMAGES, SAMPLE, dst);
        assertEquals(IMAGES.length, dst.position());
        float[] expected = {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], dst.get(i), "element " + i);
            assertEquals(expected[i] + 100, dst.get(12 + i), "element " + (12 + i));
        }
    }

    @Test
    void bothFormatsWrapToTheSameLogicalArray() {
        for (long[] sample : new long[][] {SAMPLE, {1, 4, 3}, {12}}) {
            for (MemoryFormat format : MemoryFormat.values()) {
                ByteBuffer host = HostBuffer.allocate(IMAGES.length);
                format.write(IMAGES, sample, host.asFloatBuffer());
                try (NDManager manager = NDManager.newBaseManager()) {
                    NDArray x = format.wrap(manager, host, 2, sample);
                    assertEquals(2, x.getShape().get(0));
                    assertArrayEquals(sample, Arrays.copyOfRange(x.getShape().getShape(), 1, sample.length + 1));
                    assertArrayEquals(IMAGES, x.toFloatArray(), format + " " + Arrays.toString(sample));
                }
            }
        }
    }

    @Test
    void thePropertyOverridesTheCheck() {
        Supplier<String> unused = () -> {
            throw new AssertionError("an explicit format must not run the probe");
        };
        assertEquals(MemoryFormat.NCHW, MemoryFormatCheck.decide("nchw", unused));
        assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormatCheck.decide(" Channels_Last ", unused));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryFormatCheck.decide("nhwc", unused));
        assertTrue(e.getMessage().contains(MemoryFormat.PROPERTY + "=nhwc"), e.getMessage());
    }

    @Test
    void theDecisionFollowsTheProbe() {
        assertEquals(MemoryFormat.NCHW, MemoryFormatCheck.decide("auto", () -> "the 1x1 convolution 24->40 differs"));
        assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormatCheck.decide("auto", () -> null));
    }

    @Test
    void theProbeCoversTheWidthsWhereTheKernelWasSeenWrong() {
        List<String> names = MemoryFormatCheck.probes().stream().map(LayoutProbe::name).toList();
        for (String width : List.of("convolution 24->40", "convolution 24->72")) {
            assertTrue(names.stream().anyMatch(n -> n.contains(width)), width + " not among " + names);
        }
    }

    /** The comparison itself, on results the test perturbs: it names the layer, its widths and the tensor. */
    @Test
    void theProbeReportsAPerturbedResult() {
        LayoutProbe probe = LayoutProbe.convolution(24, 40, 1, 1, 1, 14, 16);
        float[][] reference = probe.run(MemoryFormat.NCHW);
        assertNull(probe.mismatch(reference, copy(reference), MemoryFormatCheck.TOLERANCE));
        for (int result = 0; result < LayoutProbe.RESULTS.length; result++) {
            float[][] wrong = copy(reference);
            float largest = 0;
            for (float v : reference[result]) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int i : new int[] {3, wrong[result].length / 2, wrong[result].length - 1}) {
                wrong[result][i] += 0.01f * largest;
            }
            String mismatch = probe.mismatch(reference, wrong, MemoryFormatCheck.TOLERANCE);
            assertNotNull(mismatch, "a 1% error in the " + LayoutProbe.RESULTS[result] + " went unreported");
            assertTrue(mismatch.contains("1x1/1 convolution 24->40") && mismatch.contains(LayoutProbe.RESULTS[result]),
                    mismatch);
            float[][] rounding = copy(reference);
            rounding[result][3] += 1e-6f * largest;
            assertNull(probe.mismatch(reference, rounding, MemoryFormatCheck.TOLERANCE), "rounding is not a mismatch");
        }
    }

    private static float[][] copy(float[][] results) {
        float[][] copy = new float[results.length][];
        for (int i = 0; i < results.length; i++) {
            copy[i] = results[i].clone();
        }
        return copy;
    }

    /** The build runs tests as scripts/env.sh runs jobs: capped at AVX2, so they train channels-last. */
    @Test
    void underTheLaunchersSettingsTheProbeAgreesAndTrainingIsChannelsLast() {
        assumeTrue("AVX2".equals(System.getenv("ONEDNN_MAX_CPU_ISA")), "run by Maven, which sets ONEDNN_MAX_CPU_ISA");
        assertNull(MemoryFormatCheck.probeMismatch());
        assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormat.forThisProcess());
    }

    /**
     * Without the cap, libtorch runs its AVX-512 kernels where the CPU has them. Where any layer of
     * {@link LayerSet} then differs between the layouts, the probe must say so; where every layer
     * agrees, there is no wrong kernel to catch on this CPU, and the test says so and skips.
     */
    @Test
    void uncappedTheProbeCatchesWhatTheLayerSetCatches() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                MemoryFormatProbeMain.class.getName()));
        builder.environment().remove("ONEDNN_MAX_CPU_ISA");
        builder.environment().remove("DNNL_MAX_CPU_ISA");
        Path log = Files.createTempFile("probe", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe JVM did not finish");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("LAYERS AGREE") || output.contains("LAYERS DIFFER"), output);
        assumeFalse(output.contains("LAYERS AGREE"), () -> "on this CPU (" + MemoryFormatCheck.cpuModel()
                + ") libtorch computes channels-last right without the AVX2 cap: all " + LayerSet.everyKind().size()
                + " layers agree with NCHW and the probe says "
                + (output.contains("PROBE AGREES") ? "so too" : "otherwise: " + output.trim()) + "; no wrong kernel to catch");
        assertTrue(output.contains("PROBE MISMATCH: the 1x1/1 convolution"), output);
    }
}
