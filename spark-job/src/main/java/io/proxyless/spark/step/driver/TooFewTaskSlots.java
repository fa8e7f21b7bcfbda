package io.proxyless.spark.step.driver;

/** Long-running step tasks cannot all run: the cluster has fewer task slots than partitions with shards. */
final class TooFewTaskSlots extends RuntimeException {

    TooFewTaskSlots(String message) {
        super(message);
    }
}
