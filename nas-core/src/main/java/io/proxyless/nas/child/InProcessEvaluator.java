package io.proxyless.nas.child;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.model.Supernet;

import java.util.Map;

/** Scores on rows held in this JVM, with the driver's supernet. */
public final class InProcessEvaluator implements Evaluator {

    private final Supernet supernet;
    private final ImageDataset rows;
    private final Normalization norm;
    private final int numClasses;
    private final String description;

    public InProcessEvaluator(Supernet supernet, ImageDataset rows, Normalization norm, int numClasses,
            String description) {
        this.supernet = supernet;
        this.rows = rows;
        this.norm = norm;
        this.numClasses = numClasses;
        this.description = description;
    }

    @Override
    public Evaluation evaluate(ChildArchitecture child, Map<String, float[]> values, String what) {
        ChildNetwork network = new ChildNetwork(supernet, child);
        network.load(values);
        return network.evaluate(rows, norm, numClasses);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {}
}
