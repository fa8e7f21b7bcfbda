package io.proxyless.nas.onnx;

import java.util.List;

/**
 * A block that can write its inference computation (evaluation mode: running batch-norm statistics,
 * no dropout, every choice pinned) as ONNX nodes. It sits beside the block's forward pass, so the two
 * change together.
 */
public interface OnnxExportable {

    /**
     * Adds this block's nodes to {@code graph}, reading {@code inputs}, and returns the names of its
     * outputs. Children are added through {@link OnnxGraph#child}, which names the path of any block
     * that cannot be exported.
     */
    List<String> toOnnx(OnnxGraph graph, List<String> inputs);
}
