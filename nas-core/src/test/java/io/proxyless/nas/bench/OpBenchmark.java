package io.proxyless.nas.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.proxyless.nas.nn.BatchNorm2dLayer;
import io.proxyless.nas.nn.Conv2dLayer;
import io.proxyless.nas.nn.StepContext;

import java.util.Locale;
import java.util.Map;

/**
 * Forward plus backward milliseconds of the single layers that dominate a k3e3 training step, batch
 * 64, each layer alone: the DJL half of scripts/bench/ops.sh (child_ops_torch.py is the other).
 */
public final class OpBenchmark {

    public static void main(String[] args) {
        int steps = 20;
        Object[][] layers = {
            {"conv 1x1 16->48 @28x28", new Conv2dLayer(16, 48, 1, 1, 1), new Shape(64, 16, 28, 28)},
            {"dwconv 3x3/2 48 @28x28", new Conv2dLayer(48, 48, 3, 2, 48), new Shape(64, 48, 28, 28)},
            {"conv 1x1 48->24 @14x14", new Conv2dLayer(48, 24, 1, 1, 1), new Shape(64, 48, 14, 14)},
            {"batchnorm 48 @28x28", new BatchNorm2dLayer(48, 1e-3f), new Shape(64, 48, 28, 28)},
        };
        try (NDManager root = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(root, false);
            for (Object[] layer : layers) {
                Block block = (Block) layer[1];
                Shape shape = (Shape) layer[2];
                block.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
                block.initialize(root, DataType.FLOAT32, shape);
                NDArray base = root.randomNormal(shape);
                double median = ForwardBackward.medianMillis(root, base, x -> block.forward(store, new NDList(x), true,
                        new StepContext(Map.of(), null, null).asForwardParameters()).singletonOrThrow(), steps);
                System.out.printf(Locale.ROOT, "%-26s %8.2f%n", layer[0], median);
            }
        }
    }
}
