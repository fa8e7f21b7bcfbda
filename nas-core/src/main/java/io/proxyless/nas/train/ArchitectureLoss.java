package io.proxyless.nas.train;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;

import java.util.Map;

/**
 * The part of the architecture loss beyond cross-entropy, evaluated on the driver from the current
 * logits and the step's sampled path: a scale on the cross-entropy gradient and an analytic alpha
 * gradient.
 */
public interface ArchitectureLoss {

    /** Plain cross-entropy: no latency term. */
    ArchitectureLoss NONE = (arch, path, crossEntropy) -> new Terms(1.0, Map.of(), Double.NaN);

    Terms evaluate(ArchitectureParameters arch, SampledPath path, double crossEntropy);

    /** What the loss has learned during the search (a multiplier), by name: checkpoints keep it. */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /** Puts back what {@link #state} returned. */
    default void restore(Map<String, double[]> state) {}

    /**
     * @param crossEntropyScale factor on the cross-entropy alpha gradient
     * @param alphaGradients extra alpha gradient by label
     * @param expectedLatency the expected latency under the full softmax, for the metrics; NaN when there is none
     */
    record Terms(double crossEntropyScale, Map<String, double[]> alphaGradients, double expectedLatency) {}
}
