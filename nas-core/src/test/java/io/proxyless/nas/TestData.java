package io.proxyless.nas;

import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.OptimizerConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.ChoiceRouting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Fashion-MNIST files that {@code .ci/run} installs. */
public final class TestData {

    private TestData() {}

    public static Path fashionMnistFolder() {
        Path folder = Path.of(System.getProperty("fashion.mnist.dir", DatasetConfig.DEBIAN_FASHION_MNIST));
        assertTrue(Files.isRegularFile(folder.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not found in " + folder + ": apt-get install dataset-fashion-mnist");
        return folder;
    }

    public static LocalFileSource fashionMnist() {
        return new LocalFileSource(fashionMnistFolder());
    }

    /** Fashion-MNIST read and split in this JVM, for {@link io.proxyless.nas.train.SearchRun}. */
    public static io.proxyless.nas.train.SearchData.Loader loader(io.proxyless.nas.config.TrainerConfig config) {
        return () -> io.proxyless.nas.train.InProcessData.load(config, fashionMnist());
    }

    /** A small space and a short search on {@code limit} real images. */
    public static TrainerConfig smallSearch(int limit, int epochs) {
        return TrainerConfig.builder()
                .optModel(MobileNetSpace.builder()
                        .optStages(new int[] {16, 24}, new int[] {2, 1}, new int[] {2, 2})
                        .optFirstConv(8, 1)
                        .optFirstBlockChannels(8)
                        .optFeatureMixChannels(64)
                        .optCandidateOps(List.of("k3e3", "k5e3", "k3e6"))
                        .build())
                .optDataset(DatasetConfig.defaults().withLimit(limit))
                .optOptimizer(new OptimizerConfig(0.1, 0.1, 0.9f, true, 4e-5f))
                .set("num_epochs", epochs)
                .set("warmup_epochs", epochs / 3)
                .set("batch_size", 32)
                .set("log_frequency", 2)
                .set("arc_learning_rate", 0.01)
                .set("seed", 7)
                .build();
    }

    /** The child network with candidate {@code op} in every cell (every choice must offer it). */
    public static SampledPath everyCell(Supernet supernet, String op) {
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        supernet.choices().forEach((label, choice) ->
                routing.put(label, ChoiceRouting.only(choice.candidateNames().indexOf(op))));
        return new SampledPath(routing);
    }
}
