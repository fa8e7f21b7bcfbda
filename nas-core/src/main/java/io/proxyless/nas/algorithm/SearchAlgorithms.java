package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.latency.LatencyLoss;
import io.proxyless.nas.latency.LatencyTarget;
import io.proxyless.nas.latency.SpaceLatency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The search algorithms by name: the one place an algorithm is registered and chosen. */
public final class SearchAlgorithms {

    /** Builds an algorithm from the configuration and the latency table (null without one). */
    @FunctionalInterface
    interface Factory {
        SearchAlgorithm create(TrainerConfig config, SpaceLatency latency);
    }

    private static final Map<String, Factory> REGISTERED = new LinkedHashMap<>();

    static {
        REGISTERED.put(GradientAlgorithm.NAME, SearchAlgorithms::gradient);
        REGISTERED.put(ReinforceAlgorithm.NAME, SearchAlgorithms::reinforce);
    }

    private SearchAlgorithms() {}

    /** The registered names, in order (the {@code algorithm} option allows exactly these). */
    public static List<String> names() {
        return List.copyOf(REGISTERED.keySet());
    }

    /** The algorithm that {@code config} names, pricing latency with {@code latency} (null without a table). */
    public static SearchAlgorithm of(TrainerConfig config, SpaceLatency latency) {
        Factory factory = REGISTERED.get(config.algorithm());
        if (factory == null) {
            throw new IllegalArgumentException(TrainerConfig.option("algorithm") + " '" + config.algorithm()
                    + "' is not one of " + names());
        }
        return factory.create(config, latency);
    }

    /**
     * The {@code grad_reg_loss_type} term (or none), steered to {@code target_latency} when one is set
     * ({@link LatencyTarget}).
     */
    private static SearchAlgorithm gradient(TrainerConfig config, SpaceLatency latency) {
        ArchitectureLoss objective = ArchitectureLoss.NONE;
        if (latency != null) {
            if (config.gradRegLossType() != null) {
                objective = new LatencyLoss(latency, LatencyLoss.Type.parse(config.gradRegLossType()),
                        reference(config, latency), config.gradRegLossParams());
            }
            if (config.targetLatency() != null) {
                objective = new LatencyTarget(objective, latency, config.targetLatency(), LatencyTarget.DEFAULT_RATE);
            }
        }
        return new GradientAlgorithm(config.binaryMode(), config.seed(), objective);
    }

    /** The REINFORCE reward prices latency itself. */
    private static SearchAlgorithm reinforce(TrainerConfig config, SpaceLatency latency) {
        double ref = latency == null ? Double.NaN : reference(config, latency);
        ReinforceReward reward = new ReinforceReward(latency, ref, config.targetLatency(), config.reinforceSamples(),
                config.reinforceReward());
        return new ReinforceAlgorithm(reward, config.binaryMode(), config.seed(), config.reinforceBatchSize());
    }

    private static double reference(TrainerConfig config, SpaceLatency latency) {
        return config.refLatency() != null ? config.refLatency() : HardwareResolver.defaultReference(config, latency);
    }
}
