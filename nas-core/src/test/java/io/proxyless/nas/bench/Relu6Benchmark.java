package io.proxyless.nas.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.proxyless.nas.nn.Relu6;
import io.proxyless.nas.nn.TorchScalar;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Forward plus backward time of four ways to write ReLU6 in DJL, interleaved in one JVM, on the
 * largest activation of the default space at batch 64. Run by scripts/bench/relu6.sh.
 */
public final class Relu6Benchmark {

    public static void main(String[] args) {
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "5"));
        String[] names = {"hardtanh (TorchScript)", "relu(x) - relu(x - 6)", "relu(x).minimum(6)", "clip(x, 0, 6)"};
        UnaryOperator<NDArray>[] variants = variants();
        double[][] millis = new double[variants.length][rounds];
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray base = root.randomNormal(0, 4, new Shape(64, 48, 28, 28), DataType.FLOAT32);
            for (int r = 0; r < rounds; r++) {
                for (int v = 0; v < variants.length; v++) {
                    millis[v][r] = ForwardBackward.medianMillis(root, base, variants[v], 30);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-24s %14s%n", "ReLU6 of 64x48x28x28", "fwd+bwd ms (median of medians)");
        for (int v = 0; v < variants.length; v++) {
            double[] sorted = millis[v].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-24s %14.2f%n", names[v], sorted[rounds / 2]);
        }
    }

    @SuppressWarnings("unchecked")
    private static UnaryOperator<NDArray>[] variants() {
        return new UnaryOperator[] {
            (UnaryOperator<NDArray>) Relu6::apply,
            (UnaryOperator<NDArray>) x -> x.getNDArrayInternal().relu()
                    .sub(x.sub(TorchScalar.of(x.getManager(), 6f)).getNDArrayInternal().relu()),
            (UnaryOperator<NDArray>) x -> x.getNDArrayInternal().relu().minimum(TorchScalar.of(x.getManager(), 6f)),
            (UnaryOperator<NDArray>) x -> x.clip(0, 6),
        };
    }
}
