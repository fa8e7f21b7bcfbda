package io.proxyless.nas.nn;

import java.io.Serializable;

/**
 * Per-channel statistics of one normalisation layer's input over some samples: the count of values
 * per channel, their mean and their biased variance. Two sets merge exactly, so statistics computed
 * on any split of a batch combine to those of the whole batch.
 */
public record BatchStats(long count, double[] mean, double[] variance) implements Serializable {

    /** From libtorch's per-channel batch mean and unbiased variance over {@code count} values. */
    public static BatchStats fromUnbiased(long count, float[] mean, float[] unbiasedVariance) {
        double[] m = new double[mean.length];
        double[] v = new double[mean.length];
        double toBiased = count > 1 ? (count - 1) / (double) count : 1;
        for (int c = 0; c < m.length; c++) {
            m[c] = mean[c];
            v[c] = unbiasedVariance[c] * toBiased;
        }
        return new BatchStats(count, m, v);
    }

    /** Exact merge of two disjoint sets of values (parallel variance formula). */
    public static BatchStats merge(BatchStats a, BatchStats b) {
        long n = a.count + b.count;
        double[] mean = new double[a.mean.length];
        double[] variance = new double[a.mean.length];
        for (int c = 0; c < mean.length; c++) {
            double delta = b.mean[c] - a.mean[c];
            mean[c] = a.mean[c] + delta * b.count / n;
            double m2 = a.variance[c] * a.count + b.variance[c] * b.count
                    + delta * delta * a.count * b.count / n;
            variance[c] = m2 / n;
        }
        return new BatchStats(n, mean, variance);
    }

    /** The unbiased variance, the one running statistics keep (as PyTorch does). */
    public double unbiasedVariance(int channel) {
        return count > 1 ? variance[channel] * count / (count - 1) : variance[channel];
    }
}
