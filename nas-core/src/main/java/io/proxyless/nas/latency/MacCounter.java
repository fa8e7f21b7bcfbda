package io.proxyless.nas.latency;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.nn.BatchNorm2dLayer;
import io.proxyless.nas.nn.Conv2dLayer;
import io.proxyless.nas.nn.LinearLayer;

/**
 * Multiply-accumulates of a block, found by walking it: each block's input shape is the one it was
 * initialised with (so a model initialised at its dummy input has them all). A convolution costs its
 * output elements times the inputs each one reads ({@code in / groups x kernel}); a linear layer its
 * output elements times its input features. Batch norm costs none (it folds into the convolution
 * before it, as the ONNX export does), nor do blocks without parameters (activations, pooling,
 * identity, {@code zero}): they multiply-accumulate nothing. A block with parameters of another kind
 * must say its own count ({@link MacCountable}); otherwise the count fails and names its path, rather
 * than pricing it at 0.
 */
public final class MacCounter {

    private MacCounter() {}

    /** The block's count, its layer choices included. */
    public static long count(Block block, String path) {
        return walk(block, path, false);
    }

    /** The block's count outside its layer choices: the fixed part of a space. */
    public static long countOutsideChoices(Block block, String path) {
        return walk(block, path, true);
    }

    private static long walk(Block block, String path, boolean skipChoices) {
        if (skipChoices && block instanceof LayerChoice) {
            return 0;
        }
        if (block instanceof MacCountable own) {
            return own.macs(inputShapes(block, path));
        }
        if (block instanceof Conv2dLayer || block instanceof Convolution) {
            Shape weight = weight(block, path);
            long perOutput = weight.size() / weight.get(0);
            return elements(block, path) * perOutput;
        }
        if (block instanceof LinearLayer || block instanceof Linear) {
            Shape weight = weight(block, path);
            return elements(block, path) * weight.get(1);
        }
        if (block instanceof BatchNorm2dLayer || block instanceof BatchNorm || block instanceof LayerNorm) {
            return 0;
        }
        if (!block.getDirectParameters().isEmpty()) {
            throw new IllegalArgumentException("flops: cannot count the multiply-accumulates of " + where(path)
                    + " (" + block.getClass().getName() + "): it holds parameters but is no convolution, linear or"
                    + " batch-norm layer; implement " + MacCountable.class.getName() + " on it");
        }
        long total = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            total += walk(child.getValue(), path.isEmpty() ? child.getKey() : path + "/" + child.getKey(), skipChoices);
        }
        return total;
    }

    private static Shape weight(Block block, String path) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                return p.getValue().getArray().getShape();
            }
        }
        throw new IllegalArgumentException("flops: " + where(path) + " (" + block.getClass().getName()
                + ") has no weight to count");
    }

    private static long elements(Block block, String path) {
        return block.getOutputShapes(inputShapes(block, path))[0].size();
    }

    private static Shape[] inputShapes(Block block, String path) {
        try {
            return block.getInputShapes();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("flops: " + where(path) + " (" + block.getClass().getName()
                    + ") was not initialised with the model, so its input shape is unknown", e);
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "the model" : "block " + path;
    }
}
