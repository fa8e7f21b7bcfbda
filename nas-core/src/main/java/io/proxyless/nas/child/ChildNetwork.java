package io.proxyless.nas.child;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.BatchStatsRecorder;
import io.proxyless.nas.nn.HostBuffer;
import io.proxyless.nas.nn.MemoryFormat;
import io.proxyless.nas.nn.NoGrad;
import io.proxyless.nas.nn.StepContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child network ready for inference: a supernet's block running the child's fixed path in
 * evaluation mode (batch norm with running statistics, no dropout), with the child's values loaded.
 * Not thread-safe: one forward at a time, as the block's arrays are shared.
 */
public final class ChildNetwork {

    /** Images per forward pass when a caller gives more. */
    public static final int BATCH = 256;

    private final Supernet supernet;
    private final ChildArchitecture child;
    private final StepContext context;
    private final long[] sampleShape;
    private final MemoryFormat format = MemoryFormat.forThisProcess();
    private ByteBuffer host = HostBuffer.allocate(0);

    public ChildNetwork(Supernet supernet, ChildArchitecture child) {
        this.supernet = supernet;
        this.child = child;
        this.context = new StepContext(child.path().forWeightStep(), null, null);
        this.sampleShape = supernet.inputShape().getShape();
    }

    /** Writes the child's parameters and buffers into the block, in place. */
    public void load(Map<String, float[]> values) {
        supernet.load(values);
    }

    public int imageSize() {
        int size = 1;
        for (long d : sampleShape) {
            size *= (int) d;
        }
        return size;
    }

    /** Logits of {@code n} normalised images (NCHW, flattened), {@code n x numClasses} row after row. */
    public float[] logits(float[] images, int n) {
        return forward(images, n, context);
    }

    private float[] forward(float[] images, int n, StepContext stepContext) {
        if (images.length != n * imageSize()) {
            throw new IllegalArgumentException(images.length + " values for " + n + " images of shape "
                    + supernet.inputShape());
        }
        // Laid out as the step lays out its batches, so inference runs the kernels training runs; the
        // buffer is reused from batch to batch, as the step reuses its own.
        if (host.capacity() < images.length * Float.BYTES) {
            host = HostBuffer.allocate(images.length);
        }
        ByteBuffer view = host.duplicate().limit(images.length * Float.BYTES).slice().order(ByteOrder.nativeOrder());
        format.write(images, sampleShape, view.asFloatBuffer());
        boolean training = stepContext.batchStats() != null;
        try (NDManager manager = supernet.device().newManager();
                NoGrad ignored = NoGrad.enter();
                StepContext.Scope scope = stepContext.enter()) {
            NDArray x = format.wrap(manager, view, n, sampleShape);
            return supernet.block()
                    .forward(new ParameterStore(manager, false), new NDList(x), training,
                            stepContext.asForwardParameters())
                    .singletonOrThrow().toFloatArray();
        }
    }

    /**
     * Batch-norm running statistics of the child measured afresh: every row of {@code rows} runs
     * through the child in training mode, and each normalisation layer on its path gets the exact
     * mean and unbiased variance of its input over all of them. Weights inherited from a supernet
     * come with statistics averaged over every path that ran; this gives the ones of this path
     * (the recalibration that one-shot NAS evaluations use). Returns running means and variances
     * by parameter name, for {@link #load}.
     */
    public Map<String, float[]> batchNormStatistics(ImageDataset rows, Normalization norm) {
        BatchStatsRecorder recorder = new BatchStatsRecorder();
        StepContext measuring = new StepContext(child.path().forWeightStep(), recorder, null);
        for (int from = 0; from < rows.size(); from += BATCH) {
            int[] indices = batch(from, rows.size());
            forward(rows.images(indices, norm), indices.length, measuring);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        recorder.byLayer().forEach((layer, stats) -> {
            String meanName = supernet.nameOf(layer.runningMean());
            float[] mean = new float[stats.mean().length];
            float[] variance = new float[mean.length];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = (float) stats.mean()[c];
                variance[c] = (float) stats.unbiasedVariance(c);
            }
            values.put(meanName, mean);
            values.put(supernet.nameOf(layer.runningVar()), variance);
        });
        return values;
    }

    /** The row indices {@code from, from + 1, ...} of one batch of at most {@link #BATCH} of {@code size} rows. */
    public static int[] batch(int from, int size) {
        int[] indices = new int[Math.min(BATCH, size - from)];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }

    /** Scores every row of {@code rows}, {@link #BATCH} at a time. */
    public Evaluation evaluate(ImageDataset rows, Normalization norm, int numClasses) {
        Evaluation evaluation = new Evaluation(numClasses);
        for (int from = 0; from < rows.size(); from += BATCH) {
            int[] indices = batch(from, rows.size());
            evaluation.add(logits(rows.images(indices, norm), indices.length), rows.labels(indices));
        }
        return evaluation;
    }

    /** The softmax of one row of {@code logits}, starting at {@code offset}. */
    public static float[] softmax(float[] logits, int offset, int numClasses) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < numClasses; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        float[] p = new float[numClasses];
        for (int c = 0; c < numClasses; c++) {
            p[c] = (float) Math.exp(logits[offset + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < numClasses; c++) {
            p[c] /= (float) sum;
        }
        return p;
    }
}
