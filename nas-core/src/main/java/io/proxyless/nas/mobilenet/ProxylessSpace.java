package io.proxyless.nas.mobilenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.choice.ZeroOp;
import io.proxyless.nas.nn.ConvBnAct;
import io.proxyless.nas.nn.GlobalAvgPool;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.LinearLayer;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ProxylessNAS supernet built from a {@link MobileNetSpace}: first conv, fixed MBConv (expand 1,
 * kernel 3), searchable cells, 1x1 feature mix, global average pooling, dropout, linear classifier.
 */
public final class ProxylessSpace extends InitOnceBlock implements OnnxExportable {

    private final List<Block> layers = new ArrayList<>();
    private final List<String> layerNames = new ArrayList<>();
    private final float dropoutRate;
    private final LinearLayer classifier;

    public ProxylessSpace(MobileNetSpace config) {
        NormConfig norm = config.norm();
        int[] input = config.inputShape();
        layers.add(layer("stem", new ConvBnAct(
                input[0], config.firstConvChannels(), 3, config.firstConvStride(), 1, true, norm)));
        layers.add(layer("first", new MbConv(
                config.firstConvChannels(), config.firstBlockChannels(), 3, 1, 1, norm)));
        // One walk over the stages serves the network and the latency tables alike.
        SpaceLayout layout = new SpaceLayout(config);
        for (Map.Entry<String, List<OpShape>> cell : layout.cells().entrySet()) {
            String label = cell.getKey();
            List<String> names = layout.candidateNames(label);
            LayerChoice.Builder choice = LayerChoice.builder().setLabel(label);
            boolean shortcut = false;
            for (int i = 0; i < names.size(); i++) {
                OpShape op = cell.getValue().get(i);
                if (op == null) {
                    choice.addCandidate(names.get(i), new ZeroOp());
                } else {
                    choice.addCandidate(names.get(i),
                            new MbConv(op.inC(), op.outC(), op.kernel(), op.stride(), op.expand(), norm));
                    shortcut = op.idskip();
                }
            }
            layers.add(layer(label, new MobileCell(choice.build(), shortcut)));
        }
        int width = config.widthStages()[config.widthStages().length - 1];
        if (config.featureMixChannels() > 0) {
            layers.add(layer("mix", new ConvBnAct(width, config.featureMixChannels(), 1, 1, 1, true, norm)));
            width = config.featureMixChannels();
        }
        dropoutRate = config.dropoutRate();
        classifier = addChildBlock("classifier", new LinearLayer(width, config.numClasses()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block layer : layers) {
            x = layer.forward(store, x, training, params);
        }
        NDArray pooled = GlobalAvgPool.apply(x.singletonOrThrow());
        NDList dropped = dropoutRate > 0
                ? Dropout.dropout(pooled, dropoutRate, training)
                : new NDList(pooled);
        return classifier.forward(store, dropped, training, params);
    }

    private Block layer(String name, Block block) {
        layerNames.add(name);
        return addChildBlock(name, block);
    }

    /** The layers, then global average pooling, Flatten and the classifier (dropout is the identity here). */
    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        String x = inputs.get(0);
        for (int i = 0; i < layers.size(); i++) {
            x = graph.child(layers.get(i), layerNames.get(i), x);
        }
        return List.of(graph.child(classifier, "classifier", graph.globalAveragePool(x)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : layers) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
        classifier.initialize(manager, dataType, new Shape(shapes[0].get(0), shapes[0].get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : layers) {
            shapes = layer.getOutputShapes(shapes);
        }
        return classifier.getOutputShapes(new Shape[] {new Shape(shapes[0].get(0), shapes[0].get(1))});
    }
}
