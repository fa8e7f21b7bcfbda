package io.proxyless.spark.step;

import java.io.Serializable;

/**
 * The driver's answer to a long-running step task: compute step {@code sequence} of {@code payload},
 * or, when {@code payload} is {@code null}, end the task.
 */
public record TaskOrder(long sequence, StepPayload payload) implements Serializable {

    public static TaskOrder stop() {
        return new TaskOrder(-1, null);
    }

    public boolean isStop() {
        return payload == null;
    }
}
