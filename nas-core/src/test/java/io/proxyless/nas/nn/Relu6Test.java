package io.proxyless.nas.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class Relu6Test {

    private static final float[] KINKS = {-7f, -1e-7f, 0f, 1e-7f, 0.5f, 5.999999f, 6f, 6.000001f, 100f};

    @Test
    void valuesAndGradientsMatchClampWithPyTorchsConventionAtTheKinks() {
        float[] x = new float[4096];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = i < KINKS.length ? KINKS[i] : (float) (random.nextGaussian() * 5);
        }
        float[] upstream = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            upstream[i] = (float) random.nextGaussian();
        }
        float[] expectedValue = new float[x.length];
        float[] expectedGrad = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expectedValue[i] = Math.min(Math.max(x[i], 0f), 6f);
            expectedGrad[i] = x[i] > 0f && x[i] < 6f ? upstream[i] : 0f;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(x, new Shape(4, 16, 8, 8));
            input.setRequiresGradient(true);
            NDArray output;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                output = Relu6.apply(input);
                collector.backward(output.mul(manager.create(upstream, input.getShape())).sum());
            }
            assertArrayEquals(expectedValue, output.toFloatArray());
            assertArrayEquals(expectedGrad, input.getGradient().toFloatArray());
            assertSame(manager, output.getManager(), "the result belongs to the input's manager");
        }
    }

    @Test
    void outsideGradientCollectionNothingIsRecorded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(new float[] {-1f, 3f, 9f});
            input.setRequiresGradient(true);
            NDArray output = Relu6.apply(input);
            assertArrayEquals(new float[] {0f, 3f, 6f}, output.toFloatArray());
            assertFalse(output.hasGradient());
        }
    }

    @Test
    void threadsShareTheModule() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                float shift = t;
                results.add(pool.submit(() -> {
                    try (NDManager manager = NDManager.newBaseManager()) {
                        float[] values = new float[10_000];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = (i % 20) - 7 + shift;
                        }
                        return Relu6.apply(manager.create(values)).toFloatArray();
                    }
                }));
            }
            for (int t = 0; t < results.size(); t++) {
                float[] got = results.get(t).get();
                for (int i = 0; i < got.length; i++) {
                    float expected = Math.min(Math.max((i % 20) - 7f + t, 0f), 6f);
                    if (got[i] != expected) {
                        throw new AssertionError("thread " + t + " element " + i + ": " + got[i] + " != " + expected);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void archiveRejectsANameTorchScriptCannotCompile() {
        assertThrows(IllegalArgumentException.class, () -> TorchScriptArchive.module("relu6; import os", ""));
    }
}
