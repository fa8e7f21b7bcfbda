package io.proxyless.nas.savedmodel;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.ChildNetwork;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.onnx.OnnxRuntimeSession;
import io.proxyless.nas.space.SearchSpace;

import java.util.Locale;

/**
 * An exported model run in ONNX Runtime beside the DJL network it came from, on the same images: the
 * largest difference of any logit, and how many images' top-1 predictions differ.
 */
public final class OnnxCheck {

    /** The largest absolute logit difference that the check accepts. */
    public static final double TOLERANCE = 1e-4;

    /** What the comparison found. */
    public record Result(int images, double maxAbsDifference, int top1Disagreements, int onnxCorrect,
            boolean labelled) {

        public boolean passed() {
            return maxAbsDifference <= TOLERANCE && top1Disagreements == 0;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%d images: largest logit difference %.3g (tolerance %.0e), %d top-1"
                    + " predictions differ%s", images, maxAbsDifference, TOLERANCE, top1Disagreements,
                    labelled ? String.format(Locale.ROOT, ", ONNX Runtime top-1 %.4f", onnxCorrect / (double) images) : "");
        }
    }

    private OnnxCheck() {}

    /**
     * Runs {@code onnx} (one thread) and the model's DJL network over every row of {@code rows}
     * ({@code labelled}: whether the rows' labels are real, so that accuracy means something).
     */
    public static Result compare(SavedModel model, byte[] onnx, ImageDataset rows, boolean labelled) {
        SearchSpace space = model.space().create();
        int numClasses = space.numClasses();
        int[] shape = space.inputShape();
        double worst = 0;
        int disagreements = 0;
        int correct = 0;
        try (Supernet supernet = Supernet.of(space);
                OnnxRuntimeSession session = new OnnxRuntimeSession(onnx, 1)) {
            ChildNetwork network = new ChildNetwork(supernet,
                    ChildArchitecture.of(supernet.choices(), model.architecture(), "the saved model"));
            network.load(model.values());
            for (int from = 0; from < rows.size(); from += ChildNetwork.BATCH) {
                int[] indices = ChildNetwork.batch(from, rows.size());
                float[] images = rows.images(indices, model.normalization());
                float[] expected = network.logits(images, indices.length);
                float[] actual = session.run(images, indices.length, shape[0], shape[1], shape[2]);
                for (int i = 0; i < indices.length; i++) {
                    int offset = i * numClasses;
                    for (int c = 0; c < numClasses; c++) {
                        worst = Math.max(worst, Math.abs(expected[offset + c] - actual[offset + c]));
                    }
                    int onnxTop1 = argmax(actual, offset, numClasses);
                    disagreements += onnxTop1 != argmax(expected, offset, numClasses) ? 1 : 0;
                    correct += onnxTop1 == rows.label(indices[i]) ? 1 : 0;
                }
            }
        }
        return new Result(rows.size(), worst, disagreements, correct, labelled);
    }

    /** {@code n} images of uniformly random 8-bit pixels at the model's input shape, from {@code seed}. */
    public static ImageDataset randomImages(SavedModel model, int n, long seed) {
        int[] shape = model.space().create().inputShape();
        byte[] pixels = new byte[n * shape[0] * shape[1] * shape[2]];
        new java.util.SplittableRandom(seed).nextBytes(pixels);
        return new ImageDataset(pixels, new int[n], new long[n], shape[0], shape[1], shape[2]);
    }

    static int argmax(float[] values, int offset, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
