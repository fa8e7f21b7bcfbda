package io.proxyless.udfs.classify;

import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One classifier per model per executor JVM: built on the first row a JVM sees, reused by every
 * task and query after it, so a model is read and loaded once per JVM, not per partition. A JVM
 * keeps the {@value #KEPT} models it used last; an older one is closed when a newer one arrives.
 */
public final class ModelCache {

    static final int KEPT = 4;

    private static final Map<Long, Classifier> BY_BROADCAST = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Classifier> eldest) {
            if (size() <= KEPT) {
                return false;
            }
            // A task may still be classifying with it: wait for it to finish.
            synchronized (eldest.getValue()) {
                eldest.getValue().close();
            }
            return true;
        }
    };
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelCache() {}

    /** The JVM's classifier of a registered model; callers hold its lock while they use it. */
    static synchronized Classifier of(Broadcast<SavedModel> model) {
        return BY_BROADCAST.computeIfAbsent(model.id(), id -> {
            LOADS.incrementAndGet();
            return new Classifier(model.value());
        });
    }

    /** How many models this JVM has loaded: what a test counts. */
    public static int loads() {
        return LOADS.get();
    }
}
