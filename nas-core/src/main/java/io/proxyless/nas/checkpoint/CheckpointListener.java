package io.proxyless.nas.checkpoint;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.listener.TrainingListener;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.io.IOException;

/**
 * Saves a checkpoint every {@code every} weight steps and at every epoch's end; the last step ends
 * an epoch, so the final state is always the newest checkpoint.
 */
public final class CheckpointListener implements TrainingListener {

    private final Resumption resumption;
    private final SupernetMaster master;
    private final ArchitectureLoss objective;
    private final int every;

    public CheckpointListener(Resumption resumption, SupernetMaster master, ArchitectureLoss objective, int every) {
        this.resumption = resumption;
        this.master = master;
        this.objective = objective;
        this.every = every;
    }

    @Override
    public void afterStep(LoopPosition next, boolean epochEnd) throws IOException {
        if (epochEnd || next.step() % every == 0) {
            resumption.save(master, objective, next);
        }
    }
}
