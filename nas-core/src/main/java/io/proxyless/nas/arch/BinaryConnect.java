package io.proxyless.nas.arch;

import io.proxyless.nas.nn.ChoiceRouting;

/**
 * The BinaryConnect estimator of ProxylessNAS, turning gate gradients into alpha gradients, and the
 * pair rescale of mode {@code two}.
 */
public final class BinaryConnect {

    private BinaryConnect() {}

    /**
     * {@code dL/dalpha_i = sum_j dL/dg_j * dE[g_j]/dalpha_i} over the estimator set, the BinaryConnect
     * relaxation of the gates to their expectation. With one active candidate {@code E[g_j] = p_j}
     * and this is {@code sum_j dL/dg_j * p_j * (delta_ij - p_i)}, with the pair's softmax in mode
     * {@code two}, every candidate in {@code full_v2}. With {@code k} active (an input choice that
     * picks k), {@code E[g_j]} is the probability that {@code j} is among the k drawn.
     *
     * @param alpha the label's logits
     * @param routing the sampled routing (its gated set is the estimator set)
     * @param gateGradients {@code dL/dg_j} by candidate index
     * @return the gradient over all candidates (0 outside the set)
     */
    public static double[] alphaGradient(double[] alpha, ChoiceRouting routing, double[] gateGradients) {
        int[] set = routing.gated();
        double[] p = ArchitectureParameters.softmax(alpha, set);
        double[][] jacobian = new InclusionProbabilities(p, routing.active().length).logitJacobian();
        double[] grad = new double[alpha.length];
        for (int i = 0; i < set.length; i++) {
            double sum = 0;
            for (int j = 0; j < set.length; j++) {
                sum += gateGradients[set[j]] * jacobian[j][i];
            }
            grad[set[i]] = sum;
        }
        return grad;
    }

    /**
     * After an optimizer step on a pair, shifts the pair's logits so that
     * {@code sum_pair exp(alpha)} is what it was: the candidates outside the pair keep their
     * probability.
     */
    public static void rescalePair(double[] alphaBefore, double[] alphaAfter, int[] pair) {
        double before = 0;
        double after = 0;
        for (int i : pair) {
            before += Math.exp(alphaBefore[i]);
            after += Math.exp(alphaAfter[i]);
        }
        double offset = Math.log(after / before);
        for (int i : pair) {
            alphaAfter[i] -= offset;
        }
    }
}
