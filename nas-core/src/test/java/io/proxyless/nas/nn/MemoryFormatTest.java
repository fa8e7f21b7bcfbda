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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
        assertEquals(MemoryFormat.NCHW, MemoryFormatCheck.decide("nchw", Map.of()));
        assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormatCheck.decide(" Channels_Last ", Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryFormatCheck.decide("nhwc", Map.of()));
        assertTrue(e.getMessage().contains(MemoryFormat.PROPERTY + "=nhwc"), e.getMessage());
    }

    @Test
    void avx512IsRefusedUnlessOneDnnIsCappedAtAvx2() {
        Set<String> avx512 = Set.of("avx2", "avx512f", "avx512bw");
        String refusal = MemoryFormatCheck.uncappedAvx512(Map.of(), avx512);
        assertNotNull(refusal);
        assertTrue(refusal.contains("ONEDNN_MAX_CPU_ISA=AVX2"), refusal);
        assertNotNull(MemoryFormatCheck.uncappedAvx512(Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), avx512));
        assertNull(MemoryFormatCheck.uncappedAvx512(Map.of("ONEDNN_MAX_CPU_ISA", "avx2"), avx512));
        assertNull(MemoryFormatCheck.uncappedAvx512(Map.of("DNNL_MAX_CPU_ISA", "AVX2"), avx512));
        assertNull(MemoryFormatCheck.uncappedAvx512(Map.of(), Set.of("avx2", "fma")));
    }

    /** The build runs tests as scripts/env.sh runs jobs: capped at AVX2, so they train channels-last. */
    @Test
    void underTheLaunchersSettingsTheProbeAgreesAndTrainingIsChannelsLast() {
        assumeTrue("AVX2".equals(System.getenv("ONEDNN_MAX_CPU_ISA")), "run by Maven, which sets ONEDNN_MAX_CPU_ISA");
        assertNull(MemoryFormatCheck.probeMismatch());
        assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormat.forThisProcess());
    }

    /** Without the cap, on an AVX-512 CPU, the probe itself sees libtorch's wrong 1x1 convolution. */
    @Test
    void theProbeCatchesTheAvx512Kernel() throws Exception {
        assumeTrue(MemoryFormatCheck.cpuFlags().contains("avx512f"), "needs an AVX-512 CPU");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                MemoryFormatProbeMain.class.getName()));
        builder.environment().remove("ONEDNN_MAX_CPU_ISA");
        builder.environment().remove("DNNL_MAX_CPU_ISA");
        Path log = Files.createTempFile("probe", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "probe JVM did not finish");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("PROBE MISMATCH: the 1x1/1 convolution 24->"), output);
    }
}
