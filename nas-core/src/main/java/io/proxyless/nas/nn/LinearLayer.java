package io.proxyless.nas.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A fully connected layer with bias. */
public final class LinearLayer extends InitOnceBlock {

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

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outFeatures)};
    }
}
