package io.proxyless.nas.nn;

import java.io.Serializable;

/**
 * Batch-norm settings of a space. {@code enabled = false} builds a normalisation-free space, whose
 * gradients do not depend on how a batch is split: the distributed equivalence tests use it.
 *
 * @param enabled whether convolutions are followed by batch norm
 * @param momentum the running-statistics momentum, PyTorch's convention ({@code new = (1-m) old + m batch})
 * @param eps added to the variance
 */
public record NormConfig(boolean enabled, float momentum, float eps) implements Serializable {

    /** The authors' setting: momentum 0.1, eps 1e-3. */
    public static NormConfig defaults() {
        return new NormConfig(true, 0.1f, 1e-3f);
    }
}
