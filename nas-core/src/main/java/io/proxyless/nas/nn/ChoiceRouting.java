package io.proxyless.nas.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How one choice runs in one forward pass.
 *
 * @param active the candidates whose outputs form the choice's output (one for a layer choice)
 * @param gated the candidates whose binary-gate gradients are wanted; empty for a weight step.
 *     Gated candidates that are not active run without autograd and add nothing to the output.
 */
public record ChoiceRouting(int[] active, int[] gated) implements Serializable {

    public ChoiceRouting {
        active = active.clone();
        gated = gated.clone();
        if (active.length == 0) {
            throw new IllegalArgumentException("a choice needs at least one active candidate");
        }
    }

    /** Runs one candidate, no gate gradients. */
    public static ChoiceRouting only(int candidate) {
        return new ChoiceRouting(new int[] {candidate}, new int[0]);
    }

    public boolean isActive(int candidate) {
        return Arrays.stream(active).anyMatch(a -> a == candidate);
    }

    @Override
    public int[] active() {
        return active.clone();
    }

    @Override
    public int[] gated() {
        return gated.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChoiceRouting that
                && Arrays.equals(active, that.active)
                && Arrays.equals(gated, that.gated);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(active) + Arrays.hashCode(gated);
    }

    @Override
    public String toString() {
        return "active=" + Arrays.toString(active) + " gated=" + Arrays.toString(gated);
    }
}
