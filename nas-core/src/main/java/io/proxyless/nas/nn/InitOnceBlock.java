package io.proxyless.nas.nn;

import ai.djl.nn.AbstractBlock;

/**
 * An {@link AbstractBlock} that answers DJL's initialization check from a flag once it has passed.
 *
 * <p>In training mode DJL's {@code forward} asks {@code isInitialized()} on every call, and the
 * default answer rebuilds the list of every parameter below the block, concatenating their
 * hierarchical names level by level. Every block of a step asks for its own subtree, the supernet's
 * root for all candidates of all choices, which made this bookkeeping several milliseconds of a
 * k3e3 step (docs/performance.md). Parameters never return to uninitialized, so the first true
 * answer stands.
 */
public abstract class InitOnceBlock extends AbstractBlock {

    private volatile boolean initialized;

    @Override
    public boolean isInitialized() {
        if (!initialized) {
            initialized = super.isInitialized();
        }
        return initialized;
    }
}
