package io.proxyless.nas.listener;

import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.io.IOException;

/**
 * What the training loop tells the rest: each step's result before and after the master applies it,
 * each logged record, and where it stands after each iteration. Checkpoints, the divergence check,
 * the metrics log and a retrain's evaluation are listeners; the loop calls them and knows none.
 * Every method has a default that does nothing.
 */
public interface TrainingListener {

    /** A step's result, before the master applies it; throwing refuses it. */
    default void onResult(StepKind kind, StepResult result, int epoch, long step) {}

    /** The master after it applied {@code result}; throwing stops the loop before the state is kept. */
    default void onUpdate(SupernetMaster master, StepKind kind, StepResult result, int epoch, long step) {}

    /** A logged record: averages of one phase since the previous record. */
    default void onReport(StepReport report) throws IOException {}

    /**
     * An iteration ended (a weight step and any architecture step after it); {@code next} is where
     * to resume from, {@code epochEnd} whether it ended an epoch.
     */
    default void afterStep(LoopPosition next, boolean epochEnd) throws IOException {}
}
