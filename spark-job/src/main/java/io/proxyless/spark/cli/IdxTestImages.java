package io.proxyless.spark.cli;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.udfs.fs.HadoopFileSource;

import java.io.IOException;
import java.util.Arrays;

/** An IDX folder's {@code t10k} images read in this JVM, for a model whose input shape they must have. */
final class IdxTestImages {

    private IdxTestImages() {}

    /**
     * @param what how the error names the folder's option (e.g. {@code --check-data })
     * @param hint what the error suggests when the shapes differ
     */
    static ImageDataset load(HadoopFileSource folder, SavedModel saved, String what, String hint) throws IOException {
        SearchSpace space = saved.space().create();
        ImageDataset rows = ImageDataset.loadIdx(folder, "t10k", space.numClasses());
        if (!Arrays.equals(rows.shape(), space.inputShape())) {
            throw new IllegalArgumentException(what + folder.describe("t10k-images-idx3-ubyte") + ": images are "
                    + Arrays.toString(rows.shape()) + " but the model takes " + Arrays.toString(space.inputShape())
                    + hint);
        }
        return rows;
    }
}
