package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/** A square 2-D convolution without bias, "same" padding for odd kernels. */
public final class Conv2dLayer extends InitOnceBlock implements OnnxExportable {

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int groups;
    private final Parameter weight;

    public Conv2dLayer(int inChannels, int outChannels, int kernel, int stride, int groups) {
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "channels " + inChannels + "->" + outChannels + " not divisible by groups " + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.groups = groups;
        weight = addParameter(
                Parameter.builder()
                        .setName("weight")
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(outChannels, inChannels / groups, kernel, kernel))
                        .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(convolve(
                inputs.singletonOrThrow(), store.getValue(weight, inputs.head().getDevice(), training), stride, groups));
    }

    /** The convolution this layer computes, for a square weight of any odd kernel. */
    static NDArray convolve(NDArray x, NDArray weight, int stride, int groups) {
        int pad = (int) weight.getShape().get(2) / 2;
        return Conv2d.conv2d(x, weight, null, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        return List.of(toOnnx(graph, inputs.get(0), graph.values(weight), null));
    }

    /** An ONNX Conv of this layer's geometry with the given weights (batch norm folded in, for one). */
    String toOnnx(OnnxGraph graph, String input, float[] weights, float[] bias) {
        List<String> operands = new java.util.ArrayList<>(List.of(input,
                graph.weight("weight", new long[] {outChannels, inChannels / groups, kernel, kernel}, weights)));
        if (bias != null) {
            operands.add(graph.weight("bias", new long[] {outChannels}, bias));
        }
        int pad = kernel / 2;
        return graph.node("Conv", operands, OnnxGraph.ints("kernel_shape", kernel, kernel),
                OnnxGraph.ints("strides", stride, stride), OnnxGraph.ints("pads", pad, pad, pad, pad),
                OnnxGraph.ints("dilations", 1, 1), OnnxGraph.integer("group", groups));
    }

    Parameter weight() {
        return weight;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, outSize(in.get(2)), outSize(in.get(3)))};
    }

    private long outSize(long size) {
        return (size + 2L * (kernel / 2) - kernel) / stride + 1;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int groups() {
        return groups;
    }
}
