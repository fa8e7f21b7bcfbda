package io.proxyless.nas.algorithm;

import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.random.RandomStreams;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;

/**
 * ProxylessNAS's gradient algorithm (BinaryConnect): sample as the binary mode says, take the gate
 * gradients of the cross-entropy on an architecture batch, add the objective's latency terms, and
 * let Adam move alpha.
 */
public final class GradientAlgorithm implements SearchAlgorithm {

    public static final String NAME = "gradient";

    private final PathSampler sampler;
    private final long seed;
    private final ArchitectureLoss objective;

    public GradientAlgorithm(BinaryMode mode, long seed, ArchitectureLoss objective) {
        this.sampler = new PathSampler(mode);
        this.seed = seed;
        this.objective = objective;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int architectureBatchSize(int weightBatchSize, int archSplitSize, int shards) {
        return weightBatchSize;
    }

    @Override
    public double step(SupernetMaster master, long archStep, ArchitectureBatch batch) {
        SampledPath path = sampler.sampleForArchitecture(master.architecture(), master.choices(),
                RandomStreams.of(seed, RandomStreams.Purpose.ARCHITECTURE_PATHS, archStep));
        StepResult result = batch.run(path, 1);
        ArchitectureLoss.Terms terms = objective.evaluate(master.architecture(), path, result.meanLoss());
        master.applyArchitectureStep(result, path, terms.crossEntropyScale(), terms.alphaGradients());
        batch.checkUpdate(master, result);
        objective.afterStep(master.architecture());
        return objective.expectedLatency(master.architecture());
    }

    @Override
    public ArchitectureLoss objective() {
        return objective;
    }
}
