package io.proxyless.nas.mobilenet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.nn.ConvBnAct;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/**
 * MobileNetV2's inverted bottleneck without its shortcut (the cell owns the shortcut, so that the
 * {@code zero} candidate can reduce the cell to identity): 1x1 expand (skipped for expand 1),
 * k x k depthwise with the cell's stride, 1x1 linear projection.
 */
public final class MbConv extends InitOnceBlock implements OnnxExportable {

    private final ConvBnAct expand;
    private final ConvBnAct depthwise;
    private final ConvBnAct project;

    public MbConv(int in, int out, int kernel, int stride, int expandRatio, NormConfig norm) {
        int mid = Math.round(in * (float) expandRatio);
        expand = expandRatio == 1 ? null : addChildBlock("expand", new ConvBnAct(in, mid, 1, 1, 1, true, norm));
        depthwise = addChildBlock("depthwise", new ConvBnAct(mid, mid, kernel, stride, mid, true, norm));
        project = addChildBlock("project", new ConvBnAct(mid, out, 1, 1, 1, false, norm));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        if (expand != null) {
            x = expand.forward(store, x, training, params);
        }
        x = depthwise.forward(store, x, training, params);
        return project.forward(store, x, training, params);
    }

    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        String x = inputs.get(0);
        if (expand != null) {
            x = graph.child(expand, "expand", x);
        }
        x = graph.child(depthwise, "depthwise", x);
        return List.of(graph.child(project, "project", x));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (ConvBnAct layer : new ConvBnAct[] {expand, depthwise, project}) {
            if (layer != null) {
                layer.initialize(manager, dataType, shapes);
                shapes = layer.getOutputShapes(shapes);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (ConvBnAct layer : new ConvBnAct[] {expand, depthwise, project}) {
            if (layer != null) {
                shapes = layer.getOutputShapes(shapes);
            }
        }
        return shapes;
    }
}
