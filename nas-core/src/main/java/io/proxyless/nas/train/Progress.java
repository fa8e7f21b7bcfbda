package io.proxyless.nas.train;

/**
 * The time left in a search, from the wall time its iterations take. An iteration is a weight step,
 * reporting and checkpointing included, plus an architecture step where the schedule has one: the two
 * kinds are timed apart, since warmup epochs have none. Each kind's pace is the mean of its latest
 * {@value #WINDOW} iterations, leaving out its first {@value #WARMING} (the JIT and the allocator
 * warming up made the first ones slower by half). Before any architecture step has run, an iteration
 * with one counts {@value #ARCH_FACTOR} weight-only ones: the quickstart search measured 0.099 s per
 * weight-only iteration and 0.146 s per iteration with an architecture step (1.48x, AMD EPYC,
 * 2026-12-02), since the architecture step asks autograd for the gates' gradients alone. With the
 * 1.8 of before, the ETA at 10% of that search was 27% high; with 1.5 it was 9% and 24% high in two
 * runs, the slower iterations of the first epochs making the rest.
 */
final class Progress {

    static final int WINDOW = 100;
    static final int WARMING = 10;
    static final double ARCH_FACTOR = 1.5;

    private final int numEpochs;
    private final int warmupEpochs;
    private final int batchesPerEpoch;
    private final int archFrequency;
    private final Pace weightOnly = new Pace();
    private final Pace withArch = new Pace();

    /** The latest iterations of one kind. */
    private static final class Pace {
        private final java.util.ArrayDeque<Long> latest = new java.util.ArrayDeque<>();
        private long seen;
        private long sum;

        void add(long nanos) {
            seen++;
            if (seen <= WARMING + 1) {
                // A warming-up iteration only stands in, alone, until the first warm one replaces it.
                latest.clear();
                sum = 0;
            }
            latest.addLast(nanos);
            sum += nanos;
            if (latest.size() > WINDOW) {
                sum -= latest.removeFirst();
            }
        }

        double mean() {
            return latest.isEmpty() ? Double.NaN : sum / (double) latest.size();
        }
    }

    Progress(int numEpochs, int warmupEpochs, int batchesPerEpoch, int archFrequency) {
        this.numEpochs = numEpochs;
        this.warmupEpochs = warmupEpochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.archFrequency = archFrequency;
    }

    boolean hasArchitectureStep(int epoch, int batch) {
        return epoch >= warmupEpochs && (batch + 1) % archFrequency == 0;
    }

    void add(int epoch, int batch, long nanos) {
        (hasArchitectureStep(epoch, batch) ? withArch : weightOnly).add(nanos);
    }

    long totalSteps() {
        return (long) numEpochs * batchesPerEpoch;
    }

    /** Seconds left after the iteration at (epoch, batch), or NaN before any was timed. */
    double secondsLeft(int epoch, int batch) {
        double plain = weightOnly.mean();
        double arch = withArch.mean();
        if (Double.isNaN(arch)) {
            arch = ARCH_FACTOR * plain;
        }
        if (Double.isNaN(plain)) {
            plain = arch / ARCH_FACTOR;
        }
        long remainingWeightOnly = 0;
        long remainingWithArch = 0;
        for (int e = epoch; e < numEpochs; e++) {
            for (int b = e == epoch ? batch + 1 : 0; b < batchesPerEpoch; b++) {
                if (hasArchitectureStep(e, b)) {
                    remainingWithArch++;
                } else {
                    remainingWeightOnly++;
                }
            }
        }
        return (remainingWeightOnly * plain + remainingWithArch * arch) / 1e9;
    }
}
