package io.proxyless.nas.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An ONNX model loaded in ONNX Runtime (CPU), with one float32 input and one float32 output: what the
 * export's check and the {@code onnxruntime} latency table run. Not thread-safe; close it to free the
 * native session.
 */
public final class OnnxRuntimeSession implements AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String input;

    /**
     * @param model the file's bytes
     * @param threads intra-op threads (1 for latency measurements, as the tables are per thread)
     * @throws IllegalArgumentException when ONNX Runtime refuses the model, with its reason
     */
    public OnnxRuntimeSession(byte[] model, int threads) {
        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(model, options);
            input = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    /** The outputs of {@code batch} inputs of shape {@code sampleShape}, laid one after another in {@code values}. */
    public float[] run(float[] values, int batch, long... sampleShape) {
        try (Input tensor = input(values, batch, sampleShape);
                OrtSession.Result result = session.run(Map.of(input, tensor.tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            return logits;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    /** An input held in native memory, for runs that time the model and not the copy-in. */
    public final class Input implements AutoCloseable {
        private final OnnxTensor tensor;

        private Input(OnnxTensor tensor) {
            this.tensor = tensor;
        }

        @Override
        public void close() {
            tensor.close();
        }
    }

    /** {@code batch} inputs of shape {@code sampleShape}, copied once into native memory. */
    public Input input(float[] values, int batch, long... sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        try {
            return new Input(OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape));
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime refused an input of shape " + java.util.Arrays.toString(shape)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on {@code input} and frees the outputs unread: what a latency measurement times
     * (reading a large output back into Java would cost more than the model itself).
     */
    public void runDiscarding(Input input) {
        try (OrtSession.Result ignored = session.run(Map.of(this.input, input.tensor))) {
            // The outputs are computed by now; nothing is read.
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    /** The model's metadata properties. */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not read the model's metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not close the session: " + e.getMessage(), e);
        }
    }
}
