package io.proxyless.nas.savedmodel;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.ChildNetwork;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;

import java.io.Serializable;

/**
 * A saved model ready to classify: its network built and loaded once. Images come as 8-bit pixels
 * already fitted to the input shape (CHW), as the data path decodes them; the classifier applies the
 * model's normalisation. Not thread-safe; close it to free the native memory.
 */
public final class Classifier implements AutoCloseable {

    /** One image's answer. */
    public record Prediction(int index, String label, float probability) implements Serializable {}

    private final SavedModel model;
    private final Supernet supernet;
    private final ChildNetwork network;
    private final int[] shape;
    private final int numClasses;

    public Classifier(SavedModel model) {
        this.model = model;
        SearchSpace space = model.space().create();
        this.shape = space.inputShape();
        this.numClasses = space.numClasses();
        this.supernet = Supernet.of(space);
        ChildArchitecture child = ChildArchitecture.of(supernet.choices(), model.architecture(), "the saved model");
        this.network = new ChildNetwork(supernet, child);
        network.load(model.values());
    }

    /** Classifies {@code n} images whose pixels lie one after another in {@code pixels}. */
    public Prediction[] classify(byte[] pixels, int n) {
        // No row keys: nothing here is split or checksummed.
        ImageDataset rows = new ImageDataset(pixels, new int[n], new long[n], shape[0], shape[1], shape[2]);
        Prediction[] out = new Prediction[n];
        for (int from = 0; from < n; from += ChildNetwork.BATCH) {
            int[] indices = ChildNetwork.batch(from, n);
            float[] logits = network.logits(rows.images(indices, model.normalization()), indices.length);
            for (int i = 0; i < indices.length; i++) {
                float[] p = ChildNetwork.softmax(logits, i * numClasses, numClasses);
                int best = 0;
                for (int c = 1; c < numClasses; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                out[from + i] = new Prediction(best, model.classNames().get(best), p[best]);
            }
        }
        return out;
    }

    /** Scores labelled rows, as {@code evaluate} does in this JVM. */
    public Evaluation evaluate(ImageDataset rows) {
        return network.evaluate(rows, model.normalization(), numClasses);
    }

    @Override
    public void close() {
        supernet.close();
    }
}
