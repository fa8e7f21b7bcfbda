package io.proxyless.nas.train;

import io.proxyless.nas.child.Evaluator;
import io.proxyless.nas.child.InProcessEvaluator;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.Augmentation;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.data.FileSource;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.StratifiedSplit;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.executor.InProcessStepExecutor;
import io.proxyless.nas.step.executor.PathStepWorker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Both splits in this JVM, read from an IDX folder, for searches without Spark. */
public final class InProcessData implements SearchData {

    private final TrainerConfig config;
    private final ImageDataset weightSplit;
    private final ImageDataset archSplit;
    private final DataSummary summary;

    private InProcessData(TrainerConfig config, ImageDataset weightSplit, ImageDataset archSplit, DataSummary summary) {
        this.config = config;
        this.weightSplit = weightSplit;
        this.archSplit = archSplit;
        this.summary = summary;
    }

    /** Reads the IDX training files of {@code folder} and splits them as the distributed path does. */
    public static InProcessData load(TrainerConfig config, FileSource folder) throws IOException {
        SearchSpace space = config.searchSpace();
        ImageDataset all = ImageDataset.loadIdx(folder, "train", space.numClasses());
        int[] input = space.inputShape();
        if (!Arrays.equals(input, all.shape())) {
            throw new IOException(folder.describe("train-images-idx3-ubyte") + ": images are 1x" + all.height() + "x"
                    + all.width() + " but the space's input_shape is " + Arrays.toString(input)
                    + "; the in-process path reads IDX as it is (Spark resizes and converts)");
        }
        List<String> names = integerClassNames(space.numClasses());
        ImageDataset[] splits = StratifiedSplit.of(all, names, space.numClasses(), config.dataset().limit(),
                config.dataset().trainPortion(), config.seed());
        DataSummary summary = DataSummary.of("idx " + folder.describe(""), names, splits[0], splits[1],
                config.dataset().normalization());
        return new InProcessData(config, splits[0], splits[1], summary);
    }

    /** "0", "1", ...: the names of classes that integer labels index. */
    public static List<String> integerClassNames(int numClasses) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    public ImageDataset weightSplit() {
        return weightSplit;
    }

    public ImageDataset archSplit() {
        return archSplit;
    }

    @Override
    public DataSummary summary() {
        return summary;
    }

    @Override
    public StepExecutor executor(Supernet supernet) {
        return new InProcessStepExecutor(new PathStepWorker(supernet), weightSplit, archSplit, summary.normalization(),
                Augmentation.forChannels(weightSplit.channels()), Math.max(1, config.shards()));
    }

    @Override
    public Evaluator holdOut(Supernet supernet) {
        return new InProcessEvaluator(supernet, archSplit, summary.normalization(), config.searchSpace().numClasses(),
                "the hold-out (architecture split, "
                + archSplit.size() + " rows)");
    }

    @Override
    public void close() {}
}
