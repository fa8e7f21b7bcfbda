package io.proxyless.nas.nn;

/** Prints the probe's verdict in a fresh JVM, whose environment a test chooses. */
public final class MemoryFormatProbeMain {

    private MemoryFormatProbeMain() {}

    public static void main(String[] args) {
        String mismatch = MemoryFormatCheck.probeMismatch();
        System.out.println(mismatch == null ? "PROBE AGREES" : "PROBE MISMATCH: " + mismatch);
    }
}
