package io.proxyless.nas.step.driver;

/**
 * Where the loop stands between two steps: the next epoch and batch to run, the counters the random
 * streams and the schedule are keyed by, and what the metrics have accumulated since their last
 * record. With the master's arrays it is the whole state of a search: every random draw follows
 * from the seed and these counters ({@link io.proxyless.nas.random.RandomStreams}).
 *
 * @param latency the expected latency last reported, NaN before the first architecture step
 */
public record LoopPosition(int epoch, int batch, long step, long archSteps, double latency, MeterSums weight,
        MeterSums arch) {

    public static final LoopPosition START = new LoopPosition(0, 0, 0, 0, Double.NaN, MeterSums.NONE, MeterSums.NONE);

    /** One phase's sums since its last logged record. */
    public record MeterSums(double lossSum, long correct, long count, long nanos, int steps) {
        public static final MeterSums NONE = new MeterSums(0, 0, 0, 0, 0);
    }
}
