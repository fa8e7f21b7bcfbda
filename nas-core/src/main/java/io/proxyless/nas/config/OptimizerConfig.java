package io.proxyless.nas.config;

import java.io.Serializable;

/**
 * The weight optimizer: SGD as the authors train ProxylessNAS. The ranges of its values are declared
 * with the options ({@link ConfigOptions}) and checked when a {@link TrainerConfig} is built.
 *
 * @param learningRate initial rate of the search epochs, cosine-annealed per batch
 * @param warmupLearningRate initial rate of the warmup epochs
 * @param momentum SGD momentum
 * @param nesterov Nesterov momentum
 * @param weightDecay L2 decay on conv and linear weights (none on batch norm and biases)
 */
public record OptimizerConfig(
        double learningRate, double warmupLearningRate, float momentum, boolean nesterov, float weightDecay)
        implements Serializable {

    /** Every value at its option's declared default: lr 0.025, warmup lr 0.05, momentum 0.9, Nesterov, decay 4e-5. */
    public static OptimizerConfig defaults() {
        return (OptimizerConfig) TrainerConfig.sectionDefaults("optimizer");
    }
}
