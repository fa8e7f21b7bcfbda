package io.proxyless.nas.optim;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * SGD with momentum, optional Nesterov and decoupled-from-BN weight decay, as {@code torch.optim.SGD}
 * computes it (dampening 0). It updates only the parameters handed to it: ops that did not run get
 * no momentum and no decay. Its state is plain arrays by parameter name, so it can be checkpointed.
 */
public final class SgdOptimizer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final Map<String, float[]> momentumBuffers = new HashMap<>();

    public SgdOptimizer(float momentum, boolean nesterov, float weightDecay) {
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("optimizer.nesterov needs momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    /**
     * One update of one parameter, in place.
     *
     * @param decay whether weight decay applies (not to batch norm or biases)
     */
    public void step(String name, float[] weight, float[] gradient, float learningRate, boolean decay) {
        if (weight.length != gradient.length) {
            throw new IllegalArgumentException(
                    "gradient of '" + name + "' has " + gradient.length + " values, weight has " + weight.length);
        }
        float wd = decay ? weightDecay : 0f;
        float[] buffer = momentum > 0 ? momentumBuffers.get(name) : null;
        boolean first = momentum > 0 && buffer == null;
        if (first) {
            buffer = new float[weight.length];
            momentumBuffers.put(name, buffer);
        }
        for (int i = 0; i < weight.length; i++) {
            float g = gradient[i] + wd * weight[i];
            if (momentum > 0) {
                buffer[i] = first ? g : momentum * buffer[i] + g;
                g = nesterov ? g + momentum * buffer[i] : buffer[i];
            }
            weight[i] -= learningRate * g;
        }
    }

    /** The momentum buffer of a parameter, or {@code null} if it never took a step. */
    public float[] momentumBuffer(String name) {
        return momentumBuffers.get(name);
    }

    public Map<String, float[]> momentumBuffers() {
        return momentumBuffers;
    }

    /** Puts back a parameter's momentum buffer, as a checkpoint recorded it. */
    public void restore(String name, float[] buffer) {
        momentumBuffers.put(name, buffer.clone());
    }
}
