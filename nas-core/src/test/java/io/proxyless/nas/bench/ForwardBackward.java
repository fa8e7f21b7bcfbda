package io.proxyless.nas.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/** Median milliseconds of {@code f(x).sum()} forward and backward, on a fresh copy of x each run. */
final class ForwardBackward {

    private static final int WARMUP = 5;

    private ForwardBackward() {}

    static double medianMillis(NDManager root, NDArray base, UnaryOperator<NDArray> f, int runs) {
        double[] millis = new double[runs];
        for (int i = -WARMUP; i < runs; i++) {
            try (NDManager step = root.newSubManager()) {
                NDArray x = base.duplicate();
                x.attach(step);
                x.setRequiresGradient(true);
                long start = System.nanoTime();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(f.apply(x).sum());
                }
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        Arrays.sort(millis);
        return millis[runs / 2];
    }
}
