package io.proxyless.nas.nn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Decides, once per process, whether training runs channels-last.
 *
 * <p>Channels-last trains the default space's child networks 1.3-2.1x faster, but on some CPUs
 * libtorch 2.7.1's oneDNN picks an AVX-512 kernel for channels-last 1x1 convolutions
 * ({@code brgconv_1x1}) that computes wrong outputs for some widths (on an Intel Xeon: 24->40,
 * 24->72, 120->40 and 480->80, errors of half the outputs' size), while on others (the AMD EPYCs
 * seen here, Zen 4 and family 26) the same kernel is right. CPU flags cannot tell the two apart, so the decision is
 * measured: probe layers of the kinds and widths the space uses run in both layouts, and training
 * goes channels-last only if outputs and gradients agree. The launchers cap oneDNN at AVX2
 * ({@code ONEDNN_MAX_CPU_ISA}), whose kernels are right everywhere seen so far.
 */
final class MemoryFormatCheck {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryFormatCheck.class);
    /** How far, relative to the largest value, a probe's channels-last results may be from NCHW's. */
    static final double TOLERANCE = 1e-4;

    private static MemoryFormat decided;

    private MemoryFormatCheck() {}

    /** Made on first use; a bad property value throws on every call rather than being remembered. */
    static synchronized MemoryFormat decided() {
        if (decided == null) {
            decided = decide(System.getProperty(MemoryFormat.PROPERTY, "auto"), MemoryFormatCheck::probeMismatch);
        }
        return decided;
    }

    /**
     * @param setting the property's value: {@code auto}, {@code nchw} or {@code channels_last}
     * @param probe the first probe layer that differs between the layouts, or null when all agree
     */
    static MemoryFormat decide(String setting, Supplier<String> probe) {
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
        String machine = "CPU " + cpuModel() + ", ONEDNN_MAX_CPU_ISA="
                + System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "(unset)");
        String mismatch = probe.get();
        if (mismatch != null) {
            LOG.warn("Training in NCHW, not channels-last (slower): on this machine ({}) {}. libtorch 2.7.1's AVX-512"
                    + " channels-last 1x1 convolution is wrong on some CPUs; ONEDNN_MAX_CPU_ISA=AVX2 in the environment"
                    + " of every JVM that trains avoids it (scripts/env.sh and conf/spark-defaults.conf set it)",
                    machine, mismatch);
            return MemoryFormat.NCHW;
        }
        LOG.info("Training channels-last: the probe layers agree with NCHW ({})", machine);
        return MemoryFormat.CHANNELS_LAST;
    }

    /** The CPU's model name from /proc/cpuinfo, or the JVM's architecture where there is none. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no /proc/cpuinfo", e);
        }
        return System.getProperty("os.arch");
    }

    /** The layers the decision runs: the widths where the AVX-512 kernel was seen wrong, and each other kind. */
    static List<LayoutProbe> probes() {
        List<LayoutProbe> probes = new ArrayList<>();
        for (int out : new int[] {16, 40, 72, 144}) {
            probes.add(LayoutProbe.convolution(24, out, 1, 1, 1, 14, 16));
        }
        probes.add(LayoutProbe.convolution(48, 48, 3, 2, 48, 28, 16));
        probes.add(LayoutProbe.convolution(72, 72, 7, 1, 72, 14, 16));
        probes.add(LayoutProbe.convolution(3, 16, 3, 1, 1, 28, 16));
        probes.add(LayoutProbe.batchNorm(40, 14, 16));
        return probes;
    }

    /** The first probe layer whose outputs or gradients differ between the layouts, or null. */
    static String probeMismatch() {
        for (LayoutProbe probe : probes()) {
            String mismatch = probe.mismatch(
                    probe.run(MemoryFormat.NCHW), probe.run(MemoryFormat.CHANNELS_LAST), TOLERANCE);
            if (mismatch != null) {
                return mismatch;
            }
        }
        return null;
    }
}
