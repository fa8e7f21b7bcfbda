package io.proxyless.nas.train;

import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.LoopPosition;

/** Accumulates one phase's steps between two logged records. */
final class PhaseMeter {

    private double lossSum;
    private long correct;
    private long count;
    private long nanos;
    private int steps;

    void add(StepResult result, long elapsedNanos) {
        lossSum += result.lossSum();
        correct += result.correct();
        count += result.count();
        nanos += elapsedNanos;
        steps++;
    }

    boolean isEmpty() {
        return steps == 0;
    }

    double loss() {
        return lossSum / count;
    }

    double accuracy() {
        return (double) correct / count;
    }

    double imagesPerSecond() {
        return count / (nanos / 1e9);
    }

    LoopPosition.MeterSums sums() {
        return new LoopPosition.MeterSums(lossSum, correct, count, nanos, steps);
    }

    void restore(LoopPosition.MeterSums sums) {
        lossSum = sums.lossSum();
        correct = sums.correct();
        count = sums.count();
        nanos = sums.nanos();
        steps = sums.steps();
    }

    void reset() {
        lossSum = 0;
        correct = 0;
        count = 0;
        nanos = 0;
        steps = 0;
    }
}
