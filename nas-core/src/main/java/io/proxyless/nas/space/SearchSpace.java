package io.proxyless.nas.space;

import ai.djl.nn.Block;

/**
 * A search space: a DJL model whose decisions are {@link io.proxyless.nas.choice.LayerChoice}s and
 * {@link io.proxyless.nas.choice.InputChoice}s, and which outputs logits. NNI's {@code model}
 * argument.
 *
 * <p>A space is rebuilt wherever it is needed (on each executor, from a saved model folder, in a
 * fresh JVM) from its class name and its parameters, never by Java deserialization, as Spark ML's
 * {@code DefaultParamsReader} loads a stage. So an implementation:
 * <ul>
 *   <li>is a public class with a public constructor that takes one {@link SpaceParams}, and checks
 *       its keys there ({@link SpaceParams#requireOnly});</li>
 *   <li>returns from {@link #params()} what it was built from;</li>
 *   <li>builds the same network, up to initial values, for the same parameters.</li>
 * </ul>
 */
public interface SearchSpace {

    /** A new, uninitialised supernet: every candidate of every choice, outputting logits. */
    Block newSupernet();

    /** Channels, height and width of one input image. */
    int[] inputShape();

    /** The number of classes the logits score. */
    int numClasses();

    /** The parameters this space was built from: {@code new Space(params())} builds it again. */
    SpaceParams params();

    /** How to build this space again: its class and parameters. */
    default SpaceSpec spec() {
        return new SpaceSpec(getClass().getName(), params());
    }
}
