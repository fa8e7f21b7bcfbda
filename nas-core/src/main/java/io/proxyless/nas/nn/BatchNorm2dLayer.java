package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.List;

/**
 * Batch normalisation over the channel axis of NCHW input.
 *
 * <p>In training it normalises with the batch's statistics, as PyTorch does, but it never writes the
 * running statistics: it hands the batch statistics to the step's {@link BatchStatsRecorder}, and the
 * driver merges them (weighted by sample count) into the master copy. A candidate that did not run
 * records nothing, so its statistics stay untouched; a candidate recomputed without autograd for a
 * gate gradient runs without a recorder.
 */
public final class BatchNorm2dLayer extends InitOnceBlock implements OnnxExportable {

    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public BatchNorm2dLayer(int channels, float eps) {
        this.eps = eps;
        Shape shape = new Shape(channels);
        gamma = addParameter(param("gamma", Parameter.Type.GAMMA, shape));
        beta = addParameter(param("beta", Parameter.Type.BETA, shape));
        runningMean = addParameter(param("runningMean", Parameter.Type.RUNNING_MEAN, shape));
        runningVar = addParameter(param("runningVar", Parameter.Type.RUNNING_VAR, shape));
    }

    private static Parameter param(String name, Parameter.Type type, Shape shape) {
        return Parameter.builder().setName(name).setType(type).optShape(shape).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        var device = x.getDevice();
        NDArray mean = store.getValue(runningMean, device, training);
        NDArray var = store.getValue(runningVar, device, training);
        NDArray g = store.getValue(gamma, device, training);
        NDArray b = store.getValue(beta, device, training);
        if (!training) {
            return new NDList(batchNorm(x, mean, var, g, b, false, eps));
        }
        // Zeroed buffers with libtorch momentum 1 receive exactly the batch mean and unbiased variance
        // from libtorch's own update, at no extra pass over the activations; the parameters stay as
        // the driver sent them.
        try (NDArray batchMean = mean.zerosLike();
                NDArray batchVar = var.zerosLike()) {
            NDList out = new NDList(batchNorm(x, batchMean, batchVar, g, b, true, eps));
            StepContext context = StepContext.from(params);
            BatchStatsRecorder recorder = context == null ? null : context.batchStats();
            if (recorder != null) {
                Shape shape = x.getShape();
                long count = shape.get(0) * shape.get(2) * shape.get(3);
                recorder.record(this, BatchStats.fromUnbiased(count, batchMean.toFloatArray(), batchVar.toFloatArray()));
            }
            return out;
        }
    }

    /**
     * libtorch's {@code batch_norm} over axis 1, with libtorch's momentum 1 (evaluation ignores it).
     * DJL's {@code BatchNorm.batchNorm} with axis 1 moves the input to a sub-manager and wraps the call
     * in two identity transposes (two more autograd nodes per layer and step) to emulate other axes.
     */
    static NDArray batchNorm(
            NDArray x, NDArray runningMean, NDArray runningVar, NDArray g, NDArray b, boolean train, float eps) {
        return JniUtils.batchNorm(
                (PtNDArray) x, (PtNDArray) runningMean, (PtNDArray) runningVar, (PtNDArray) g, (PtNDArray) b,
                train, 1.0, eps);
    }

    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        long[] dims = {graph.values(gamma).length};
        return List.of(graph.node("BatchNormalization", List.of(inputs.get(0),
                graph.weight("gamma", dims, graph.values(gamma)), graph.weight("beta", dims, graph.values(beta)),
                graph.weight("running_mean", dims, graph.values(runningMean)),
                graph.weight("running_var", dims, graph.values(runningVar))), OnnxGraph.real("epsilon", eps)));
    }

    /**
     * The per-channel affine map this layer applies in evaluation, {@code y = scale x + shift} with
     * {@code scale = gamma / sqrt(var + eps)} and {@code shift = beta - mean scale}, in double: what a
     * preceding convolution absorbs when batch norm is folded into it.
     */
    double[][] evaluationAffine(OnnxGraph graph) {
        float[] g = graph.values(gamma);
        float[] b = graph.values(beta);
        float[] mean = graph.values(runningMean);
        float[] var = graph.values(runningVar);
        double[] scale = new double[g.length];
        double[] shift = new double[g.length];
        for (int c = 0; c < g.length; c++) {
            scale[c] = g[c] / Math.sqrt((double) var[c] + eps);
            shift[c] = b[c] - mean[c] * scale[c];
        }
        return new double[][] {scale, shift};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }
}
