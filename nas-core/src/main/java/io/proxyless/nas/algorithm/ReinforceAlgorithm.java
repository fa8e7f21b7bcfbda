package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.PolicyGradient;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.random.RandomStreams;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authors' REINFORCE: networks sampled from p, each scored on the step's architecture batch (a
 * forward pass, no gradient), rewarded by accuracy and latency, then the policy gradient on alpha.
 */
public final class ReinforceAlgorithm implements SearchAlgorithm {

    public static final String NAME = "reinforce";

    private final ReinforceReward reward;
    private final PathSampler sampler;
    private final long seed;
    private final int batchSize;

    public ReinforceAlgorithm(ReinforceReward reward, BinaryMode mode, long seed, int batchSize) {
        this.reward = reward;
        this.sampler = new PathSampler(mode);
        this.seed = seed;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void checkChoices(Map<String, Choice> choices) {
        choices.forEach((label, choice) -> {
            if (choice.numChosen() > 1) {
                throw new IllegalArgumentException(TrainerConfig.option("algorithm") + " reinforce samples one candidate"
                        + " per choice, but '" + label + "' picks " + choice.numChosen() + " (n_chosen); search it with algorithm"
                        + " gradient");
            }
        });
    }

    /** The authors score each sampled network on 1,000 images; a split smaller than that is scored whole. */
    @Override
    public int architectureBatchSize(int weightBatchSize, int archSplitSize, int shards) {
        return Math.min(batchSize, archSplitSize / shards * shards);
    }

    @Override
    public double step(SupernetMaster master, long archStep, ArchitectureBatch batch) {
        List<PolicyGradient.Sample> samples = new ArrayList<>();
        for (int k = 0; k < reward.samples(); k++) {
            SampledPath path = sampler.sampleForWeights(master.architecture(), master.choices(),
                    RandomStreams.of(seed, RandomStreams.Purpose.ARCHITECTURE_PATHS, archStep, k));
            StepResult result = batch.run(path, 2 + k);
            samples.add(new PolicyGradient.Sample(path, reward.reward(result.accuracy(), names(master, path))));
        }
        master.applyPolicyGradient(reward.step(master.architecture(), samples));
        return reward.expectedLatency(master.architecture());
    }

    /** The candidates a path runs, by name. */
    private static Map<String, List<String>> names(SupernetMaster master, SampledPath path) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        master.choices().forEach((label, choice) -> {
            List<String> chosen = new ArrayList<>();
            for (int i : path.routing(label).active()) {
                chosen.add(choice.candidateNames().get(i));
            }
            names.put(label, chosen);
        });
        return names;
    }

    @Override
    public ArchitectureLoss objective() {
        return reward;
    }
}
