package io.proxyless.spark.step.driver;

/** A long-running step job cannot finish a step: a partition that owes it has no task that runs. */
final class StepTasksLost extends RuntimeException {

    StepTasksLost(String message) {
        super(message);
    }
}
