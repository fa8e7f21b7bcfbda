package io.proxyless.nas.model;

import io.proxyless.nas.random.RandomStreams;

import java.util.SplittableRandom;

/**
 * Seeded initial values, the authors' {@code he_fout} scheme: conv weights N(0, sqrt(2 / (k*k*out))),
 * linear weights U(-1/sqrt(in), 1/sqrt(in)), biases and BN shifts 0, BN scales 1, running mean 0,
 * running variance 1. Each parameter draws from its own stream keyed by (seed, name), so values do
 * not depend on build order or on which JVM computes them.
 */
public final class WeightInitializer {

    private WeightInitializer() {}

    public static float[] initialValue(ParameterInfo info, long seed) {
        float[] values = new float[info.size()];
        long[] shape = info.shape();
        SplittableRandom random = RandomStreams.of(seed, RandomStreams.Purpose.WEIGHT_INIT, RandomStreams.hash(info.name()));
        switch (info.kind()) {
            case WEIGHT -> {
                if (shape.length == 4) {
                    double std = Math.sqrt(2.0 / (shape[0] * shape[2] * shape[3]));
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (std * gaussian(random));
                    }
                } else {
                    double bound = 1.0 / Math.sqrt(shape[shape.length - 1]);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) random.nextDouble(-bound, bound);
                    }
                }
            }
            case NO_DECAY -> java.util.Arrays.fill(values, info.name().endsWith("gamma") ? 1f : 0f);
            case RUNNING_VAR -> java.util.Arrays.fill(values, 1f);
            case RUNNING_MEAN -> { }
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
