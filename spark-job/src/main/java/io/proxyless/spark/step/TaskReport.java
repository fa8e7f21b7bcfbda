package io.proxyless.spark.step;

import io.proxyless.nas.step.ShardSum;

import java.io.Serializable;

/**
 * What a long-running step task tells the driver: partition {@code partition} finished step
 * {@code sequence} with {@code result}, or, with a {@code null} result, that it is ready for work
 * (a new or retried task joins with sequence -1).
 */
public record TaskReport(int partition, long taskAttemptId, long sequence, ShardSum result) implements Serializable {

    public static TaskReport ready(int partition, long taskAttemptId, long lastSequence) {
        return new TaskReport(partition, taskAttemptId, lastSequence, null);
    }
}
