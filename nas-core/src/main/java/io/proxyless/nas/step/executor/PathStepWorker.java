package io.proxyless.nas.step.executor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.BatchStats;
import io.proxyless.nas.nn.BatchStatsRecorder;
import io.proxyless.nas.nn.GateRecorder;
import io.proxyless.nas.nn.HostBuffer;
import io.proxyless.nas.nn.MemoryFormat;
import io.proxyless.nas.nn.StepContext;
import io.proxyless.nas.nn.TorchScalar;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Executor side of a step: runs the sampled path forward and backward on one shard of the batch and
 * returns its {@link StepResult}. Holds a supernet built once; the caller loads the path's weights
 * into it before each step. Not thread-safe: PyTorch allows one gradient collection per JVM.
 */
public final class PathStepWorker {

    private final Supernet supernet;
    private final long[] sampleShape;
    private final MemoryFormat format;
    private ByteBuffer input = HostBuffer.allocate(0);

    /** A worker that lays its batches out as this process trains best ({@link MemoryFormat#forThisProcess}). */
    public PathStepWorker(Supernet supernet) {
        this(supernet, MemoryFormat.forThisProcess());
    }

    /** A worker with a fixed layout, whatever this process would choose. */
    public PathStepWorker(Supernet supernet, MemoryFormat format) {
        this.supernet = supernet;
        this.sampleShape = supernet.inputShape().getShape();
        this.format = format;
    }

    public Supernet supernet() {
        return supernet;
    }

    /**
     * Computes one shard's contribution.
     *
     * @param images normalised images, NCHW flattened
     * @param labels class indices, one per image
     */
    public StepResult compute(StepRequest request, float[] images, int[] labels) {
        int n = labels.length;
        if (n == 0) {
            return StepResult.empty();
        }
        boolean archStep = request.kind() == StepKind.ARCHITECTURE;
        SampledPath path = request.path();
        BatchStatsRecorder batchStats = new BatchStatsRecorder();
        GateRecorder gates = archStep ? new GateRecorder() : null;
        StepContext context = new StepContext(
                archStep ? path.forArchitectureStep() : path.forWeightStep(), batchStats, gates);
        Engine.getInstance().setRandomSeed((int) (request.randomSeed() ^ (request.randomSeed() >>> 32)));
        Map<String, NDArray> used = usedArrays(path, archStep);
        // An architecture step needs only the gates' gradients: weights that ask for none make
        // autograd skip every weight-gradient kernel and the layers before the first gate.
        if (archStep) {
            used.values().forEach(array -> array.setRequiresGradient(false));
        }
        try (NDManager manager = supernet.device().newManager()) {
            NDArray x = format.wrap(manager, hostInput(images), n, sampleShape);
            int numClasses;
            float lossValue;
            float[] logitValues;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    StepContext.Scope scope = context.enter()) {
                NDArray logits = supernet.block()
                        .forward(new ParameterStore(manager, false), new NDList(x), true, context.asForwardParameters())
                        .singletonOrThrow();
                numClasses = (int) logits.getShape().get(1);
                NDArray loss = smoothedCrossEntropySum(logits, labels, request.labelSmoothing())
                        .div(TorchScalar.of(manager, request.globalBatchSize()));
                if (!archStep || gates.hasGates()) {
                    collector.backward(loss);
                }
                lossValue = loss.getFloat() * request.globalBatchSize();
                logitValues = logits.toFloatArray();
            }
            Map<String, double[]> gateGradients = new LinkedHashMap<>();
            if (archStep) {
                for (Map.Entry<String, Choice> choice : supernet.choices().entrySet()) {
                    gateGradients.put(choice.getKey(), gates.gradients(choice.getKey(), choice.getValue().numCandidates()));
                }
            }
            return new StepResult(
                    archStep ? Map.of() : readGradients(used, manager),
                    gateGradients,
                    namedStats(batchStats),
                    lossValue,
                    countCorrect(logitValues, labels, numClasses),
                    n);
        } finally {
            if (archStep) {
                used.values().forEach(array -> array.setRequiresGradient(true));
            }
        }
    }

    /** The arrays of the parameters a step of this kind uses, by name. */
    private Map<String, NDArray> usedArrays(SampledPath path, boolean archStep) {
        Map<String, NDArray> used = new LinkedHashMap<>();
        for (ParameterInfo info : supernet.parameterInfos()) {
            if (path.needs(info, archStep)) {
                used.put(info.name(), supernet.parameter(info.name()).getArray());
            }
        }
        return used;
    }

    /**
     * Reads and clears the gradients of the parameters the path used, in one copy out of libtorch (one
     * per parameter cost a JNI round trip and a direct buffer each). A shared parameter whose gradient
     * is exactly zero received none (it fed only the unchosen inputs of an {@code InputChoice}): it is
     * left out, so it gets no momentum and no weight decay, as PyTorch skips a parameter whose
     * gradient is None. libtorch keeps a gradient once it has one, so "none" cannot be asked of it.
     */
    private Map<String, float[]> readGradients(Map<String, NDArray> used, NDManager manager) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        if (!used.isEmpty()) {
            NDList flat = new NDList(used.size());
            for (NDArray array : used.values()) {
                NDArray grad = array.getGradient();
                grad.attach(manager);
                flat.add(grad.flatten());
            }
            float[] all = NDArrays.concat(flat).toFloatArray();
            int offset = 0;
            for (Map.Entry<String, NDArray> entry : used.entrySet()) {
                int size = Math.toIntExact(entry.getValue().size());
                if (!supernet.info(entry.getKey()).isShared() || !allZero(all, offset, offset + size)) {
                    gradients.put(entry.getKey(), Arrays.copyOfRange(all, offset, offset + size));
                }
                offset += size;
            }
        }
        for (NDArray array : used.values()) {
            JniUtils.zeroGrad((PtNDArray) array);
        }
        return gradients;
    }

    private static boolean allZero(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (values[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private Map<String, BatchStats> namedStats(BatchStatsRecorder recorder) {
        Map<String, BatchStats> named = new LinkedHashMap<>();
        recorder.byLayer().forEach((layer, stats) -> named.put(supernet.nameOf(layer.runningMean()), stats));
        return named;
    }

    /** The images, in this worker's layout, in a host buffer that is reused across steps (see {@link HostBuffer}). */
    private ByteBuffer hostInput(float[] images) {
        if (input.capacity() < images.length * Float.BYTES) {
            input = HostBuffer.allocate(images.length);
        }
        ByteBuffer view = input.duplicate().limit(images.length * Float.BYTES).slice().order(ByteOrder.nativeOrder());
        format.write(images, sampleShape, view.asFloatBuffer());
        return view;
    }

    /** Sum over samples of the label-smoothed cross-entropy. */
    static NDArray smoothedCrossEntropySum(NDArray logits, int[] labels, float smoothing) {
        int numClasses = (int) logits.getShape().get(1);
        float[] target = new float[labels.length * numClasses];
        float off = smoothing / numClasses;
        Arrays.fill(target, off);
        for (int i = 0; i < labels.length; i++) {
            target[i * numClasses + labels[i]] += 1 - smoothing;
        }
        NDArray targets = logits.getManager().create(target, new Shape(labels.length, numClasses));
        return logits.logSoftmax(1).mul(targets).sum().neg();
    }

    static long countCorrect(float[] logits, int[] labels, int numClasses) {
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < numClasses; c++) {
                if (logits[i * numClasses + c] > logits[i * numClasses + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
