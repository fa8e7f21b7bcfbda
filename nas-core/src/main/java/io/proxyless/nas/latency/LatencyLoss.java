package io.proxyless.nas.latency;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;

import java.util.LinkedHashMap;
import java.util.Map;

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

        /** The parameter that weighs latency against the cross-entropy: what a lambda sweep varies. */
        public String weightParam() {
            return this == ADD_LINEAR ? "lambda" : "beta";
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
        if (lambda < 0 || alpha <= 0 || beta < 0) {
            throw new IllegalArgumentException("grad_reg_loss_params: lambda must be >= 0, alpha > 0 and beta >= 0");
        }
    }

    @Override
    public double expectedLatency(ArchitectureParameters arch) {
        return latency.expected(arch, null);
    }

    /** {@link SpaceLatency#expected}. */
    public double expectedLatency(ArchitectureParameters arch, SampledPath path) {
        return latency.expected(arch, path);
    }

    /** {@link SpaceLatency#expectedGradient}. */
    public Map<String, double[]> expectedLatencyGradient(ArchitectureParameters arch, SampledPath path) {
        return latency.expectedGradient(arch, path);
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
        return new Terms(ceScale, extra);
    }
}
