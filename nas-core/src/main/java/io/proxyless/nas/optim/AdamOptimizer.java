package io.proxyless.nas.optim;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam as {@code torch.optim.Adam} computes it, on double vectors keyed by name (the architecture
 * logits of each choice). A key skipped in a step keeps its state and step count. Plain state, so it
 * can be checkpointed.
 */
public final class AdamOptimizer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, State> states = new HashMap<>();

    /** Per-key moments and step count. */
    public static final class State implements Serializable {
        private static final long serialVersionUID = 1L;
        final double[] m;
        final double[] v;
        long step;

        State(int size) {
            m = new double[size];
            v = new double[size];
        }

        public long step() {
            return step;
        }

        public double[] m() {
            return m;
        }

        public double[] v() {
            return v;
        }
    }

    public AdamOptimizer(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** The authors' architecture optimizer: betas (0, 0.999), eps 1e-8, no weight decay. */
    public static AdamOptimizer forArchitecture(double learningRate) {
        return new AdamOptimizer(learningRate, 0.0, 0.999, 1e-8, 0.0);
    }

    /** One update of {@code values}, in place. */
    public void step(String key, double[] values, double[] gradient) {
        State s = states.computeIfAbsent(key, k -> new State(values.length));
        s.step++;
        double correction1 = 1 - Math.pow(beta1, s.step);
        double correction2 = 1 - Math.pow(beta2, s.step);
        for (int i = 0; i < values.length; i++) {
            double g = gradient[i] + weightDecay * values[i];
            s.m[i] = beta1 * s.m[i] + (1 - beta1) * g;
            s.v[i] = beta2 * s.v[i] + (1 - beta2) * g * g;
            double denom = Math.sqrt(s.v[i] / correction2) + eps;
            values[i] -= learningRate / correction1 * s.m[i] / denom;
        }
    }

    public State state(String key) {
        return states.get(key);
    }

    /** Keys that have taken a step, in no particular order. */
    public java.util.Set<String> keys() {
        return states.keySet();
    }

    /** Puts back a key's moments and step count, as a checkpoint recorded them. */
    public void restore(String key, double[] m, double[] v, long step) {
        if (m.length != v.length) {
            throw new IllegalArgumentException("Adam state of '" + key + "': " + m.length + " first and " + v.length
                    + " second moments");
        }
        State s = new State(m.length);
        System.arraycopy(m, 0, s.m, 0, m.length);
        System.arraycopy(v, 0, s.v, 0, v.length);
        s.step = step;
        states.put(key, s);
    }
}
