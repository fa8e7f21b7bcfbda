package io.proxyless.nas.model;

import java.io.Serializable;

/**
 * What the search needs to know of one supernet parameter.
 *
 * @param name dotted path, e.g. {@code s0.body.k3e6.depthwise.conv.weight}
 * @param shape dimensions
 * @param kind how it is trained
 * @param ownerLabel label of the choice whose candidate owns it, or {@code null} for shared layers
 * @param ownerCandidate index of that candidate, or -1
 */
public record ParameterInfo(String name, long[] shape, Kind kind, String ownerLabel, int ownerCandidate)
        implements Serializable {

    /** How a parameter is trained. */
    public enum Kind {
        /** Convolution or linear weight: SGD with weight decay. */
        WEIGHT,
        /** Bias or batch-norm scale and shift: SGD without weight decay. */
        NO_DECAY,
        /** Batch-norm running mean: merged from batch statistics, never by gradient. */
        RUNNING_MEAN,
        /** Batch-norm running variance. */
        RUNNING_VAR
    }

    public boolean isShared() {
        return ownerLabel == null;
    }

    public boolean isTrainable() {
        return kind == Kind.WEIGHT || kind == Kind.NO_DECAY;
    }

    public int size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
