package io.proxyless.spark.evaluate;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.data.ImageLimits;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.source.ImageTable;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved model scored on a labelled table by Spark: the rows are decoded and cached first, so the
 * timed job is inference alone, and its images/s is the network's, not the reader's.
 *
 * @param evaluation the counts
 * @param inferenceNanos the wall time of the scoring job
 * @param data what was scored
 */
public record ModelEvaluation(Evaluation evaluation, long inferenceNanos, String data) {

    public static ModelEvaluation run(SparkSession spark, SavedModel model, ImageTable table, int partitions) {
        ChildArchitecture child;
        try (Supernet supernet = Supernet.of(model.space().create())) {
            child = ChildArchitecture.of(supernet.choices(), model.architecture(), "the saved model");
        }
        try (DistributedEvaluator test = TestSets.hold(spark, table, model.classNames(), model.space(), ComputeDevice.CPU,
                model.normalization(), partitions, ImageLimits.DEFAULT_MAX_PIXELS)) {
            long start = System.nanoTime();
            Evaluation e = test.evaluate(child, model.values(), "evaluate " + test.describe());
            return new ModelEvaluation(e, System.nanoTime() - start, test.describe());
        }
    }

    /** What {@code evaluate} prints and writes. */
    public Map<String, Object> describe(SavedModel model, String modelFolder, int cores) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", modelFolder);
        out.put("data", data);
        out.putAll(evaluation.describe(model.classNames(), inferenceNanos));
        if (cores > 0) {
            out.put("cores", cores);
            out.put("images_per_s_per_core", evaluation.count() / (inferenceNanos / 1e9) / cores);
        }
        return out;
    }
}
