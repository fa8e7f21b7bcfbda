package io.proxyless.nas.arch;

/**
 * For {@code k} candidates drawn without replacement from {@code p} (as {@code torch.multinomial}
 * draws them: one after another, each from what is left), the probability {@code pi_j} that
 * candidate {@code j} is among them, and its derivative in the logits. With {@code k = 1},
 * {@code pi = p}. Exact, by enumerating the ordered draws: {@code n! / (n - k)!} of them, which is
 * small for the input choices this serves.
 */
final class InclusionProbabilities {

    private static final long MAX_SEQUENCES = 2_000_000;

    private final double[] p;
    private final int k;
    private final double[] pi;
    /** {@code b[j][m] = p_m * d pi_j / d p_m}, with the draws' normalisers as functions of p. */
    private final double[][] b;

    InclusionProbabilities(double[] p, int k) {
        int n = p.length;
        long sequences = 1;
        for (int t = 0; t < k; t++) {
            sequences *= n - t;
        }
        if (k < 1 || k > n || sequences > MAX_SEQUENCES) {
            throw new IllegalArgumentException("choosing " + k + " of " + n + " candidates: " + sequences
                    + " orders to enumerate, more than " + MAX_SEQUENCES);
        }
        this.p = p;
        this.k = k;
        this.pi = new double[n];
        this.b = new double[n][n];
        enumerate(new int[k], 0, 1.0, 0.0, new boolean[n]);
    }

    /**
     * Extends a partial draw {@code seq[0..depth)} of probability {@code prob}, whose drawn mass is
     * {@code drawn}.
     */
    private void enumerate(int[] seq, int depth, double prob, double drawn, boolean[] used) {
        if (depth == k) {
            accumulate(seq, prob);
            return;
        }
        for (int c = 0; c < p.length; c++) {
            if (used[c] || p[c] <= 0) {
                continue;
            }
            used[c] = true;
            seq[depth] = c;
            enumerate(seq, depth + 1, prob * p[c] / (1 - drawn), drawn + p[c], used);
            used[c] = false;
        }
    }

    /**
     * {@code p_m d log P(seq) / d p_m = [m in seq] + p_m sum_t [m drawn before t] / (1 - mass drawn before t)}.
     */
    private void accumulate(int[] seq, double prob) {
        int n = p.length;
        double[] before = new double[k];
        double drawn = 0;
        for (int t = 0; t < k; t++) {
            before[t] = drawn;
            drawn += p[seq[t]];
        }
        // The candidate drawn at step t sits in the normaliser 1 - before[u] of every later step u.
        double[] logDerivative = new double[n];
        for (int t = 0; t < k; t++) {
            double later = 0;
            for (int u = t + 1; u < k; u++) {
                later += 1 / (1 - before[u]);
            }
            logDerivative[seq[t]] = 1 + p[seq[t]] * later;
        }
        for (int t = 0; t < k; t++) {
            int j = seq[t];
            pi[j] += prob;
            for (int m = 0; m < n; m++) {
                b[j][m] += prob * logDerivative[m];
            }
        }
    }

    double[] probabilities() {
        return pi.clone();
    }

    /** {@code d pi_j / d alpha_i} where {@code p = softmax(alpha)}: {@code b[j][i] - p_i sum_m b[j][m]}. */
    double[][] logitJacobian() {
        int n = p.length;
        double[][] jacobian = new double[n][n];
        for (int j = 0; j < n; j++) {
            double rowSum = 0;
            for (int m = 0; m < n; m++) {
                rowSum += b[j][m];
            }
            for (int i = 0; i < n; i++) {
                jacobian[j][i] = b[j][i] - p[i] * rowSum;
            }
        }
        return jacobian;
    }
}
