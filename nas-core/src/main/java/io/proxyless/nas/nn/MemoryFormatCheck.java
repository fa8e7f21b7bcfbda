package io.proxyless.nas.nn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides, once per process, whether training runs channels-last.
 *
 * <p>Channels-last trains the default space's child networks 1.3-2.1x faster here, but libtorch
 * 2.7.1's oneDNN picks an AVX-512 kernel for channels-last 1x1 convolutions ({@code brgconv_1x1})
 * that computes wrong outputs for some widths (of those tried, 24->40, 24->72, 120->40 and
 * 480->80: errors of half the outputs' size). Capped with {@code ONEDNN_MAX_CPU_ISA=AVX2}, oneDNN
 * uses other kernels, which are right. So channels-last is used only where that kernel cannot be
 * chosen, and only after probe layers of the kinds the space uses give the same outputs and
 * gradients in both layouts.
 */
final class MemoryFormatCheck {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryFormatCheck.class);
    private static final Set<String> CAPPED_ISAS = Set.of("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2");
    private static final double TOLERANCE = 1e-4;

    private static MemoryFormat decided;

    private MemoryFormatCheck() {}

    /** Made on first use; a bad property value throws on every call rather than being remembered. */
    static synchronized MemoryFormat decided() {
        if (decided == null) {
            decided = decide(System.getProperty(MemoryFormat.PROPERTY, "auto"), System.getenv());
        }
        return decided;
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
        List<LayoutProbe> probes = new ArrayList<>();
        for (int out : new int[] {16, 40, 72, 144}) {
            probes.add(LayoutProbe.convolution(24, out, 1, 1, 1, 14, 16));
        }
        probes.add(LayoutProbe.convolution(48, 48, 3, 2, 48, 28, 16));
        probes.add(LayoutProbe.convolution(72, 72, 7, 1, 72, 14, 16));
        probes.add(LayoutProbe.convolution(3, 16, 3, 1, 1, 28, 16));
        probes.add(LayoutProbe.batchNorm(40, 14, 16));
        for (LayoutProbe probe : probes) {
            double error = probe.error();
            if (!(error <= TOLERANCE)) {
                return String.format(Locale.ROOT, "the %s differs between NCHW and channels-last by %.3g"
                        + " (relative to the largest value)", probe.name(), error);
            }
        }
        return null;
    }
}
