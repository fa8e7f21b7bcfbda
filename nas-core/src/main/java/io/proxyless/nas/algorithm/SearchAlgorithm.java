package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.util.Map;

/**
 * How a search moves the architecture parameters. The loop takes weight steps and, when an
 * architecture step is due, hands it to the algorithm; it does not know which one runs. A new
 * algorithm is a class and one line in {@link SearchAlgorithms}.
 */
public interface SearchAlgorithm {

    /** Its name, the value of the {@code algorithm} option. */
    String name();

    /** Refuses, before any step, a model this algorithm cannot search (naming the choice). */
    default void checkChoices(Map<String, Choice> choices) {}

    /** Rows of the architecture split that one architecture step scores. */
    int architectureBatchSize(int weightBatchSize, int archSplitSize, int shards);

    /**
     * The {@code archStep}-th architecture step: samples paths, runs them through {@code batch} and
     * updates the master's alpha. Returns the expected latency after the step, NaN without a table.
     */
    double step(SupernetMaster master, long archStep, ArchitectureBatch batch);

    /** The objective whose state a checkpoint keeps (the dual multiplier of a target, say). */
    ArchitectureLoss objective();
}
