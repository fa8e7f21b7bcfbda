package io.proxyless.spark.evaluate;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.child.Evaluator;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.space.SpaceSpec;
import io.proxyless.spark.step.EvaluationPayload;
import io.proxyless.spark.step.executor.ExecutorSupernet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Driver side of an evaluation: broadcast the network's values, let every cached partition score
 * its rows on its executor's supernet, add the counts up, destroy the broadcast. Rows never move.
 */
public final class DistributedEvaluator implements Evaluator {

    /** The Spark job group of every evaluation. */
    public static final String JOB_GROUP = "proxyless-evaluate";

    private final JavaSparkContext sc;
    private final ComputeDevice device;
    private final JavaRDD<ImageDataset> partitions;
    private final SpaceSpec space;
    private final Normalization norm;
    private final String description;
    private final boolean owned;

    /**
     * @param partitions the rows, one {@link ImageDataset} per partition
     * @param owned whether closing unpersists {@code partitions} (a test set read for this), or they
     *     belong to someone else (the training splits)
     */
    public DistributedEvaluator(JavaSparkContext sc, JavaRDD<ImageDataset> partitions, SpaceSpec space,
            ComputeDevice device, Normalization norm, String description, boolean owned) {
        this.sc = sc;
        this.device = device;
        this.partitions = partitions;
        this.space = space;
        this.norm = norm;
        this.description = description;
        this.owned = owned;
    }

    @Override
    public Evaluation evaluate(ChildArchitecture child, Map<String, float[]> values, String what) {
        Broadcast<EvaluationPayload> broadcast = sc.broadcast(new EvaluationPayload(child, new LinkedHashMap<>(values), device));
        SpaceSpec spaceSpec = space;
        Normalization n = norm;
        int numClasses = space.create().numClasses();
        try {
            sc.setJobGroup(JOB_GROUP, what, false);
            return partitions
                    .map(rows -> ExecutorSupernet.evaluate(spaceSpec, n, broadcast.value(), rows))
                    .treeAggregate(new Evaluation(numClasses), Evaluation::merge, Evaluation::merge);
        } finally {
            sc.clearJobGroup();
            broadcast.destroy(false);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (owned) {
            partitions.unpersist(false);
        }
    }
}
