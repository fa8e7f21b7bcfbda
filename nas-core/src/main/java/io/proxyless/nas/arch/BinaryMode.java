package io.proxyless.nas.arch;

/** How many candidates per cell take part in the gate-gradient estimate. */
public enum BinaryMode {
    /** The authors' memory-lean mode: two sampled candidates, softmax over the pair, then rescale. */
    TWO("two"),
    /** Gate gradients for every candidate, recomputed without autograd (NNI's {@code full_v2}). */
    FULL_V2("full_v2");

    private final String key;

    BinaryMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static BinaryMode parse(String value) {
        for (BinaryMode mode : values()) {
            if (mode.key.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("binary_mode: unknown mode '" + value + "'; expected two or full_v2");
    }
}
