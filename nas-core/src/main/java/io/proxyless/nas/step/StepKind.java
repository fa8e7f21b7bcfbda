package io.proxyless.nas.step;

/** The two alternating steps of ProxylessNAS. */
public enum StepKind {
    /** Trains the sampled path's weights on the weight split. */
    WEIGHT,
    /** Trains the architecture logits on the architecture split. */
    ARCHITECTURE
}
