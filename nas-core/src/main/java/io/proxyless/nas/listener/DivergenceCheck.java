package io.proxyless.nas.listener;

import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.DivergenceException;
import io.proxyless.nas.step.driver.SupernetMaster;

/**
 * Stops the loop at a non-finite loss, gradient or updated value ({@link DivergenceException}),
 * before the step's state can be checkpointed.
 */
public final class DivergenceCheck implements TrainingListener {

    @Override
    public void onResult(StepKind kind, StepResult result, int epoch, long step) {
        DivergenceException.check(result, kind, epoch, step);
    }

    @Override
    public void onUpdate(SupernetMaster master, StepKind kind, StepResult result, int epoch, long step) {
        DivergenceException.checkUpdate(master, result, kind, epoch, step);
    }
}
