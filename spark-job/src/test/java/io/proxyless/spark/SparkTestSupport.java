package io.proxyless.spark;

import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.OptimizerConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.space.SpaceConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared settings of the Spark tests: loopback only, small spaces, real Fashion-MNIST. */
public final class SparkTestSupport {

    public static final Path FASHION_MNIST = Path.of(DatasetConfig.DEBIAN_FASHION_MNIST);

    private SparkTestSupport() {}

    public static LocalFileSource fashionMnist() {
        assertTrue(Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST missing: apt-get install dataset-fashion-mnist");
        return new LocalFileSource(FASHION_MNIST);
    }

    /** A small space; {@code batchNorm = false} makes gradients independent of how a batch is split. */
    public static TrainerConfig smallConfig(boolean batchNorm, int limit, int epochs, int batch) {
        return TrainerConfig.builder()
                .optModel(SpaceConfig.builder()
                        .optStages(new int[] {12, 16}, new int[] {2, 1}, new int[] {2, 2})
                        .optFirstConv(8, 1)
                        .optFirstBlockChannels(8)
                        .optFeatureMixChannels(32)
                        .optCandidateOps(List.of("k3e3", "k5e3", "k3e6"))
                        .optNorm(new NormConfig(batchNorm, 0.1f, 1e-3f))
                        .build())
                .optDataset(DatasetConfig.defaults().withLimit(limit))
                .optOptimizer(new OptimizerConfig(0.05, 0.05, 0.9f, true, 4e-5f))
                .optNumEpochs(epochs)
                .optBatchSize(batch)
                .optLogFrequency(1)
                .optArcLearningRate(0.01)
                .optSeed(11)
                .build();
    }
}
