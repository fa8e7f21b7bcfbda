package io.proxyless.nas;

import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.data.LocalFileSource;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
