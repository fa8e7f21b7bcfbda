package io.proxyless.nas.nn;

import java.util.List;

/**
 * Prints, in a fresh JVM whose environment a test chooses, whether the whole {@link LayerSet}
 * agrees between the layouts and what the decision's probe says.
 */
public final class MemoryFormatProbeMain {

    private MemoryFormatProbeMain() {}

    public static void main(String[] args) {
        List<String> differing = LayerSet.differing();
        System.out.println(differing.isEmpty() ? "LAYERS AGREE" : "LAYERS DIFFER: " + differing);
        String mismatch = MemoryFormatCheck.probeMismatch();
        System.out.println(mismatch == null ? "PROBE AGREES" : "PROBE MISMATCH: " + mismatch);
    }
}
