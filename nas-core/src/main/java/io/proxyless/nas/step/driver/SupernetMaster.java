package io.proxyless.nas.step.driver;

import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.BinaryConnect;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.WeightInitializer;
import io.proxyless.nas.nn.BatchStats;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.optim.AdamOptimizer;
import io.proxyless.nas.optim.SgdOptimizer;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Driver side of the search: the master copy of every weight, the architecture logits, and both
 * optimizers' state, all plain arrays. Workers compute gradients; only this class changes state.
 */
public final class SupernetMaster {

    private final Map<String, ParameterInfo> infos = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, Choice> choices;
    private final ArchitectureParameters architecture;
    private final SgdOptimizer sgd;
    private final AdamOptimizer adam;
    private final float bnMomentum;

    public SupernetMaster(
            List<ParameterInfo> parameters,
            Map<String, Choice> choices,
            ArchitectureParameters architecture,
            SgdOptimizer sgd,
            AdamOptimizer adam,
            float bnMomentum,
            long seed) {
        for (ParameterInfo info : parameters) {
            infos.put(info.name(), info);
            values.put(info.name(), WeightInitializer.initialValue(info, seed));
        }
        // Map.copyOf would iterate in an order salted per JVM; the sampler draws in this order, so a
        // seed would give different paths in different runs.
        this.choices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        this.architecture = architecture;
        this.sgd = sgd;
        this.adam = adam;
        this.bnMomentum = bnMomentum;
    }

    /**
     * The weights a step needs: the shared layers and the candidates the path runs. Only these travel
     * to the workers.
     */
    public Map<String, float[]> weightsFor(SampledPath path, StepKind kind) {
        boolean archStep = kind == StepKind.ARCHITECTURE;
        Map<String, float[]> needed = new LinkedHashMap<>();
        for (ParameterInfo info : infos.values()) {
            if (path.needs(info, archStep)) {
                needed.put(info.name(), values.get(info.name()));
            }
        }
        return needed;
    }

    /** Every parameter and buffer: what evaluation and export need. */
    public Map<String, float[]> allValues() {
        return values;
    }

    /** Applies SGD to the parameters that received gradients and merges batch statistics. */
    public void applyWeightStep(StepResult result, float learningRate) {
        result.gradients().forEach((name, gradient) -> {
            ParameterInfo info = infos.get(name);
            sgd.step(name, values.get(name), gradient, learningRate, info.kind() == ParameterInfo.Kind.WEIGHT);
        });
        result.batchStats().forEach(this::mergeBatchStats);
    }

    /** The running variance beside a batch-norm layer's running mean, by name. */
    static String runningVarOf(String runningMeanName) {
        return runningMeanName.replaceFirst("runningMean$", "runningVar");
    }

    /**
     * Running statistics follow PyTorch: {@code new = (1 - m) old + m batch}, with the batch's
     * unbiased variance. The batch statistics were merged exactly across workers, so the result does
     * not depend on how the batch was split.
     */
    private void mergeBatchStats(String runningMeanName, BatchStats stats) {
        float[] mean = values.get(runningMeanName);
        float[] var = values.get(runningVarOf(runningMeanName));
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (float) ((1 - bnMomentum) * mean[c] + bnMomentum * stats.mean()[c]);
            var[c] = (float) ((1 - bnMomentum) * var[c] + bnMomentum * stats.unbiasedVariance(c));
        }
    }

    /**
     * Updates alpha from the gate gradients (plus any extra alpha gradient, e.g. the latency term),
     * with Adam, then rescales pairs in mode {@code two}; merges the step's batch statistics, as the
     * authors' architecture step (in train mode) updates running statistics. A cell whose sampled op
     * is {@code zero} gets no update, as in the authors' code.
     *
     * @param ceScale factor on the cross-entropy part of the gradient (the {@code mul#log} regulariser)
     * @param extraGradients gradients added per label, or an empty map
     * @return the total alpha gradient applied, by label
     */
    public Map<String, double[]> applyArchitectureStep(
            StepResult result, SampledPath path, double ceScale, Map<String, double[]> extraGradients) {
        Map<String, double[]> applied = new LinkedHashMap<>();
        for (String label : choices.keySet()) {
            ChoiceRouting routing = path.routing(label);
            double[] gateGrads = result.gateGradients().get(label);
            if (routing == null || gateGrads == null || path.isZeroActive(label)) {
                continue;
            }
            double[] alpha = architecture.alpha(label);
            double[] grad = BinaryConnect.alphaGradient(alpha, routing, gateGrads);
            double[] extra = extraGradients.get(label);
            for (int i = 0; i < grad.length; i++) {
                grad[i] = ceScale * grad[i] + (extra == null ? 0 : extra[i]);
            }
            double[] before = alpha.clone();
            adam.step(label, alpha, grad);
            if (routing.gated().length < alpha.length) {
                BinaryConnect.rescalePair(before, alpha, routing.gated());
            }
            applied.put(label, grad);
        }
        result.batchStats().forEach(this::mergeBatchStats);
        return applied;
    }

    /** One Adam step on alpha from a gradient by label (REINFORCE's policy gradient). */
    public void applyPolicyGradient(Map<String, double[]> gradients) {
        gradients.forEach((label, g) -> adam.step(label, architecture.alpha(label), g));
    }

    public ArchitectureParameters architecture() {
        return architecture;
    }

    public Map<String, Choice> choices() {
        return choices;
    }

    public SgdOptimizer sgd() {
        return sgd;
    }

    public AdamOptimizer adam() {
        return adam;
    }

    public ParameterInfo info(String name) {
        return infos.get(name);
    }
}
