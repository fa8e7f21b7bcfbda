package io.proxyless.nas.arch;


import java.util.Map;

/**
 * The part of the architecture loss beyond cross-entropy, evaluated on the driver from the current
 * logits and the step's sampled path: a scale on the cross-entropy gradient and an analytic alpha
 * gradient.
 */
public interface ArchitectureLoss {

    /** Plain cross-entropy: no latency term. */
    ArchitectureLoss NONE = (arch, path, crossEntropy) -> new Terms(1.0, Map.of());

    Terms evaluate(ArchitectureParameters arch, SampledPath path, double crossEntropy);

    /**
     * Called once the step's update has moved the logits: a loss with state of its own (the latency
     * target's multiplier) moves it from the logits the step produced.
     */
    default void afterStep(ArchitectureParameters arch) {}

    /**
     * The expected latency under the full softmax of every cell, or NaN without a latency table. The
     * loop logs it after each architecture step, whichever algorithm ran it.
     */
    default double expectedLatency(ArchitectureParameters arch) {
        return Double.NaN;
    }

    /** What the loss has learned during the search (a multiplier), by name: checkpoints keep it. */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /** Puts back what {@link #state} returned. */
    default void restore(Map<String, double[]> state) {}

    /**
     * @param crossEntropyScale factor on the cross-entropy alpha gradient
     * @param alphaGradients extra alpha gradient by label
     */
    record Terms(double crossEntropyScale, Map<String, double[]> alphaGradients) {}
}
