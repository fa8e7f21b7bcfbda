package io.proxyless.nas.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/** A fully connected layer with bias. */
public final class LinearLayer extends InitOnceBlock implements OnnxExportable {

    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public LinearLayer(int inFeatures, int outFeatures) {
        this.outFeatures = outFeatures;
        weight = addParameter(
                Parameter.builder()
                        .setName("weight")
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(outFeatures, inFeatures))
                        .build());
        bias = addParameter(
                Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .optShape(new Shape(outFeatures))
                        .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        var device = inputs.head().getDevice();
        return Linear.linear(
                inputs.singletonOrThrow(),
                store.getValue(weight, device, training),
                store.getValue(bias, device, training));
    }

    /** Gemm with the weight transposed, as {@code Linear} computes {@code x W^T + b}. */
    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        float[] w = graph.values(weight);
        return List.of(graph.node("Gemm", List.of(inputs.get(0),
                graph.weight("weight", new long[] {outFeatures, w.length / outFeatures}, w),
                graph.weight("bias", new long[] {outFeatures}, graph.values(bias))), OnnxGraph.integer("transB", 1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outFeatures)};
    }
}
