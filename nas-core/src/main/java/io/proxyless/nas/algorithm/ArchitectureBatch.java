package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;

/**
 * What an architecture step may ask of the loop: to run a path on the step's batch of the
 * architecture split, and to check the master after an update. The loop owns the executor, the
 * batch, the timing and the divergence checks; the algorithm owns what is sampled and how alpha moves.
 */
public interface ArchitectureBatch {

    /**
     * Runs {@code path} on this step's architecture rows: gate gradients where the path asks for
     * them, else the forward pass only. {@code draw} tells apart the runs of one step (it keys
     * libtorch's seed), so a run is the same wherever it executes.
     */
    StepResult run(SampledPath path, int draw);

    /** Checks the master's values after an update made from {@code result}. */
    void checkUpdate(SupernetMaster master, StepResult result);
}
