package io.proxyless.spark.step.driver;

import java.io.Serializable;

/** Where a distributed step's wall time went, summed over steps. */
public final class StepTimings implements Serializable {

    private long steps;
    private long broadcastNanos;
    private long computeNanos;
    private long overheadNanos;
    private long destroyNanos;
    private long bytesOut;
    private long bytesBack;

    void add(long broadcast, long compute, long overhead, long destroy, long weightBytes, long resultBytes) {
        steps++;
        broadcastNanos += broadcast;
        computeNanos += compute;
        overheadNanos += overhead;
        destroyNanos += destroy;
        bytesOut += weightBytes;
        bytesBack += resultBytes;
    }

    /** Forgets the steps so far (a benchmark's warm-up). */
    public void reset() {
        steps = 0;
        broadcastNanos = 0;
        computeNanos = 0;
        overheadNanos = 0;
        destroyNanos = 0;
        bytesOut = 0;
        bytesBack = 0;
    }

    public long steps() {
        return steps;
    }

    /** Mean milliseconds per step creating the broadcast. */
    public double broadcastMs() {
        return broadcastNanos / 1e6 / steps;
    }

    /** Mean milliseconds per step of the slowest shard's computation. */
    public double computeMs() {
        return computeNanos / 1e6 / steps;
    }

    /** Mean milliseconds per step of scheduling, serialization and aggregation around the compute. */
    public double aggregationMs() {
        return overheadNanos / 1e6 / steps;
    }

    public double destroyMs() {
        return destroyNanos / 1e6 / steps;
    }

    /** Mean bytes of weights broadcast per step. */
    public double bytesOutPerStep() {
        return (double) bytesOut / steps;
    }

    /** Mean bytes of results per step. */
    public double bytesBackPerStep() {
        return (double) bytesBack / steps;
    }
}
