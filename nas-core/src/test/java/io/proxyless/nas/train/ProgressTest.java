package io.proxyless.nas.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    /** 3 epochs of 5 batches, 1 warmup, an architecture step after batches 2 and 4 of later epochs. */
    @Test
    void theTimeLeftCountsEachKindOfIterationAtItsOwnPace() {
        Progress progress = new Progress(3, 1, 5, 2);
        assertEquals(15, progress.totalSteps());
        assertTrue(Double.isNaN(progress.secondsLeft(0, 0)), "nothing timed yet");
        for (int b = 0; b < 5; b++) {
            progress.add(0, b, 1_000_000_000L);
        }
        // After warmup: epochs 2 and 3 remain, each 3 weight-only and 2 weight+architecture iterations;
        // with none of the second kind timed, each counts ARCH_FACTOR weight-only ones.
        assertEquals(2 * (3 * 1.0 + 2 * Progress.ARCH_FACTOR), progress.secondsLeft(0, 4), 1e-9);
        progress.add(1, 0, 1_000_000_000L);
        progress.add(1, 1, 1_500_000_000L);
        assertEquals((2 + 3) * 1.0 + (1 + 2) * 1.5, progress.secondsLeft(1, 1), 1e-9);
        assertEquals(0.0, progress.secondsLeft(2, 4), 1e-9);
    }

    /** The first iterations, slow while everything warms up, stop counting once warm ones come. */
    @Test
    void warmingUpIterationsAndOldOnesDropOut() {
        Progress progress = new Progress(100, 100, 10, 1);
        progress.add(0, 0, 9_000_000_000L);
        assertEquals(9.0 * 999, progress.secondsLeft(0, 0), 1e-6, "a slow first iteration stands in alone");
        for (int i = 1; i < Progress.WARMING + 5; i++) {
            progress.add(0, i % 10, 1_000_000_000L);
        }
        assertEquals(1.0 * 985, progress.secondsLeft(1, 4), 1e-6, "the slow first one no longer counts");
        for (int i = 0; i < Progress.WINDOW; i++) {
            progress.add(2, i % 10, 2_000_000_000L);
        }
        assertEquals(2.0 * 885, progress.secondsLeft(11, 4), 1e-6, "only the latest WINDOW count");
    }
}
