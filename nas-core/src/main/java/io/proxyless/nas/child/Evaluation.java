package io.proxyless.nas.child;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a network scored on labelled images: the confusion matrix, top-5 hits and the cross-entropy
 * sum. Counts of disjoint parts of a dataset {@link #merge} into the counts of the whole, so the
 * partitions of a Spark job each count their rows and the driver adds them up.
 */
public final class Evaluation implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final long[] confusion;
    private long top5;
    private double lossSum;
    private long count;

    public Evaluation(int numClasses) {
        this.numClasses = numClasses;
        this.confusion = new long[numClasses * numClasses];
    }

    /** Counts one batch: {@code logits} is {@code labels.length x numClasses}, row after row. */
    public Evaluation add(float[] logits, int[] labels) {
        if (logits.length != labels.length * numClasses) {
            throw new IllegalArgumentException(logits.length + " logits for " + labels.length + " images of "
                    + numClasses + " classes");
        }
        int k = Math.min(5, numClasses);
        for (int i = 0; i < labels.length; i++) {
            int offset = i * numClasses;
            int label = labels[i];
            float target = logits[offset + label];
            int above = 0;
            int best = 0;
            float max = logits[offset];
            for (int c = 0; c < numClasses; c++) {
                float v = logits[offset + c];
                // Ties rank the lower index first, as argmax does.
                if (v > target || (v == target && c < label)) {
                    above++;
                }
                if (v > max) {
                    max = v;
                    best = c;
                }
            }
            confusion[label * numClasses + best]++;
            if (above < k) {
                top5++;
            }
            double sumExp = 0;
            for (int c = 0; c < numClasses; c++) {
                sumExp += Math.exp(logits[offset + c] - max);
            }
            lossSum += Math.log(sumExp) - (target - max);
        }
        count += labels.length;
        return this;
    }

    /** Adds the counts of a disjoint part; returns this. */
    public Evaluation merge(Evaluation other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("evaluations of " + numClasses + " and " + other.numClasses + " classes");
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        top5 += other.top5;
        lossSum += other.lossSum;
        count += other.count;
        return this;
    }

    public long count() {
        return count;
    }

    public int numClasses() {
        return numClasses;
    }

    public double top1() {
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += confusion[c * numClasses + c];
        }
        return count == 0 ? 0 : (double) correct / count;
    }

    public double top5() {
        return count == 0 ? 0 : (double) top5 / count;
    }

    public double meanLoss() {
        return count == 0 ? 0 : lossSum / count;
    }

    /** Accuracy per true class; {@code NaN} for a class without rows. */
    public double[] perClassAccuracy() {
        double[] accuracy = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long rows = 0;
            for (int p = 0; p < numClasses; p++) {
                rows += confusion[c * numClasses + p];
            }
            accuracy[c] = rows == 0 ? Double.NaN : (double) confusion[c * numClasses + c] / rows;
        }
        return accuracy;
    }

    /** The metrics as a JSON-ready map, classes by name; {@code wallNanos} gives images/s. */
    public Map<String, Object> describe(List<String> classNames, long wallNanos) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", count);
        out.put("top1", top1());
        out.put("top5", top5());
        out.put("loss", meanLoss());
        Map<String, Object> perClass = new LinkedHashMap<>();
        double[] accuracy = perClassAccuracy();
        for (int c = 0; c < numClasses; c++) {
            perClass.put(name(classNames, c), Double.isNaN(accuracy[c]) ? null : accuracy[c]);
        }
        out.put("per_class_accuracy", perClass);
        List<String> names = new ArrayList<>();
        List<long[]> rows = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            names.add(name(classNames, c));
            long[] row = new long[numClasses];
            System.arraycopy(confusion, c * numClasses, row, 0, numClasses);
            rows.add(row);
        }
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("classes", names);
        matrix.put("rows_actual_columns_predicted", rows);
        out.put("confusion_matrix", matrix);
        if (wallNanos > 0) {
            out.put("images_per_s", count / (wallNanos / 1e9));
        }
        return out;
    }

    private static String name(List<String> classNames, int c) {
        return c < classNames.size() ? classNames.get(c) : Integer.toString(c);
    }
}
