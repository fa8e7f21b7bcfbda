package io.proxyless.nas.nn;

import java.io.Serializable;

/**
 * Per-channel statistics of one normalisation layer's input over some samples: the count of values
 * per channel, their mean and their biased variance. Two sets merge exactly, so statistics computed
 * on any split of a batch combine to those of the whole batch.
 */
public record BatchStats(long count, double[] mean, double[] variance) implements Serializable {

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
