package io.proxyless.nas.child;

import java.io.IOException;
import java.util.Map;

/**
 * Scores a child network on a labelled set, wherever its rows are held (this JVM, or Spark
 * executors). Closing releases what holding them took.
 */
public interface Evaluator extends AutoCloseable {

    /** Opens the set; called once the output folder has been checked. */
    @FunctionalInterface
    interface Loader {
        Evaluator load() throws IOException;
    }

    /**
     * @param values the child's parameters and batch-norm buffers by name
     * @param description what the computation is, for people watching (the Spark job's description)
     */
    Evaluation evaluate(ChildArchitecture child, Map<String, float[]> values, String description);

    /** What the set is, e.g. "IDX t10k of /data/fmnist (10000 rows)". */
    String describe();

    @Override
    void close();
}
