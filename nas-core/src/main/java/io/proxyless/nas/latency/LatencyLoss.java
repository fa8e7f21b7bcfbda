package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.train.ArchitectureLoss;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The hardware-aware term of the architecture loss, with its exact alpha gradient. Expected latency
 * {@code E = fixed + sum_cells sum_i p_i T_i}, {@code dE/dalpha_i = p_i (T_i - sum_j p_j T_j)} within
 * each cell.
 * <ul>
 *   <li>{@code add#linear}: {@code loss = CE + lambda (E - ref) / ref};</li>
 *   <li>{@code mul#log}: {@code loss = alpha CE (ln E / ln ref)^beta}.</li>
 * </ul>
 * NNI rebuilds E with {@code torch.tensor(...)}, which cuts it from alpha; here the gradient reaches
 * alpha, and the cross-entropy part's BinaryConnect gradient is scaled as the product rule says. In
 * an architecture step E is taken over the step's estimator sets (the sampled pairs in mode
 * {@code two}), as the authors take it.
 */
public final class LatencyLoss implements ArchitectureLoss {

    /** The regulariser's form. */
    public enum Type {
        ADD_LINEAR("add#linear"),
        MUL_LOG("mul#log");

        private final String key;

        Type(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Type parse(String key) {
            for (Type t : values()) {
                if (t.key.equals(key)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("grad_reg_loss_type: unknown type '" + key + "'");
        }
    }

    private final SpaceLatency latency;
    private final Type type;
    private final double ref;
    private final double lambda;
    private final double alpha;
    private final double beta;

    /**
     * @param params {@code lambda} for add#linear (default 0.1); {@code alpha}, {@code beta} for
     *     mul#log (defaults 0.2, 0.3)
     */
    public LatencyLoss(SpaceLatency latency, Type type, double ref, Map<String, Double> params) {
        this.latency = latency;
        this.type = type;
        this.ref = ref;
        for (String key : params.keySet()) {
            boolean known = type == Type.ADD_LINEAR ? key.equals("lambda") : key.equals("alpha") || key.equals("beta");
            if (!known) {
                throw new IllegalArgumentException("grad_reg_loss_params: '" + key + "' does not apply to " + type.key()
                        + (type == Type.ADD_LINEAR ? " (it takes lambda)" : " (it takes alpha and beta)"));
            }
        }
        this.lambda = params.getOrDefault("lambda", 0.1);
        this.alpha = params.getOrDefault("alpha", 0.2);
        this.beta = params.getOrDefault("beta", 0.3);
        if (!(ref > 0)) {
            throw new IllegalArgumentException("ref_latency must be > 0, got " + ref);
        }
        if (type == Type.MUL_LOG) {
            // ln E / ln ref must be positive for (ln E / ln ref)^beta: both above 1 in the table's unit.
            double cheapest = latency.cheapest();
            if (!(ref > 1) || !(cheapest > 1)) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "grad_reg_loss_type mul#log takes ln(E) / ln(ref_latency), which needs every network's latency"
                        + " and ref_latency above 1 in the table's unit (%s); here ref_latency is %.6g and the cheapest"
                        + " network of the space costs %.6g: use a table in a smaller unit, or add#linear",
                        latency.unit(), ref, cheapest));
            }
        }
        if (lambda < 0 || alpha <= 0) {
            throw new IllegalArgumentException("grad_reg_loss_params: lambda must be >= 0 and alpha > 0");
        }
    }

    /** The expected latency under the full softmax of every cell: what the metrics report. */
    public double expectedLatency(ArchitectureParameters arch) {
        return expectedLatency(arch, null);
    }

    /**
     * The expected latency the loss sees: each cell's costs weighted by the softmax over its estimator
     * set in {@code path} (the sampled pair in mode {@code two}, the other candidates counting 0, as
     * in the authors' code), or over all candidates where {@code path} is null or names every one.
     */
    public double expectedLatency(ArchitectureParameters arch, SampledPath path) {
        double e = latency.fixed();
        for (Map.Entry<String, double[]> cell : latency.cells().entrySet()) {
            int[] set = estimatorSet(path, cell.getKey(), cell.getValue().length);
            double[] q = ArchitectureParameters.softmax(arch.alpha(cell.getKey()), set);
            for (int i = 0; i < set.length; i++) {
                e += q[i] * cell.getValue()[set[i]];
            }
        }
        return e;
    }

    /**
     * {@code dE/dalpha} by label for {@link #expectedLatency(ArchitectureParameters, SampledPath)}:
     * {@code q_i (T_i - sum_j q_j T_j)} inside each cell's estimator set, 0 outside it, so that in mode
     * {@code two} only the pair moves and the pair rescale keeps the others' probabilities.
     */
    public Map<String, double[]> expectedLatencyGradient(ArchitectureParameters arch, SampledPath path) {
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> cell : latency.cells().entrySet()) {
            double[] t = cell.getValue();
            int[] set = estimatorSet(path, cell.getKey(), t.length);
            double[] q = ArchitectureParameters.softmax(arch.alpha(cell.getKey()), set);
            double mean = 0;
            for (int i = 0; i < set.length; i++) {
                mean += q[i] * t[set[i]];
            }
            double[] g = new double[t.length];
            for (int i = 0; i < set.length; i++) {
                g[set[i]] = q[i] * (t[set[i]] - mean);
            }
            grads.put(cell.getKey(), g);
        }
        return grads;
    }

    private static int[] estimatorSet(SampledPath path, String label, int n) {
        ChoiceRouting routing = path == null ? null : path.routing(label);
        return routing == null || routing.gated().length == 0 ? IntStream.range(0, n).toArray() : routing.gated();
    }

    /** The regularised loss value for a cross-entropy and an expected latency. */
    public double loss(double crossEntropy, double expected) {
        return type == Type.ADD_LINEAR
                ? crossEntropy + lambda * (expected - ref) / ref
                : alpha * crossEntropy * Math.pow(Math.log(expected) / Math.log(ref), beta);
    }

    @Override
    public Terms evaluate(ArchitectureParameters arch, SampledPath path, double crossEntropy) {
        double e = expectedLatency(arch, path);
        Map<String, double[]> dE = expectedLatencyGradient(arch, path);
        double ceScale;
        double latencyScale;
        if (type == Type.ADD_LINEAR) {
            ceScale = 1;
            latencyScale = lambda / ref;
        } else {
            double ratio = Math.log(e) / Math.log(ref);
            ceScale = alpha * Math.pow(ratio, beta);
            latencyScale = alpha * crossEntropy * beta * Math.pow(ratio, beta - 1) / (e * Math.log(ref));
        }
        Map<String, double[]> extra = new LinkedHashMap<>();
        dE.forEach((label, g) -> {
            double[] scaled = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                scaled[i] = latencyScale * g[i];
            }
            extra.put(label, scaled);
        });
        return new Terms(ceScale, extra, expectedLatency(arch));
    }
}
