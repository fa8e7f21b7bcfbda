package io.proxyless.nas.train;

import io.proxyless.nas.child.Evaluator;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.StepExecutor;

import java.io.IOException;

/**
 * The two splits of a search, wherever their rows are held (this JVM, or Spark executors), and the
 * executor that computes steps over them. Closing releases what holding them took.
 */
public interface SearchData extends AutoCloseable {

    /** Reads and splits the data; called once the output folder has been checked. */
    @FunctionalInterface
    interface Loader {
        SearchData load() throws IOException;
    }

    DataSummary summary();

    /** The executor of the search's steps; {@code supernet} is the driver's, for executors in this JVM. */
    StepExecutor executor(Supernet supernet);

    /**
     * The architecture split as a held-out set: a retrain trains on the weight split and, given no
     * test set, scores on this seeded, class-stratified rest. Closing it leaves the splits held.
     */
    Evaluator holdOut(Supernet supernet);

    @Override
    void close();
}
