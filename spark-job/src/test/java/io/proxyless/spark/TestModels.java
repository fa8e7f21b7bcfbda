package io.proxyless.spark;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.model.WeightInitializer;
import io.proxyless.nas.savedmodel.SavedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Model folders as retrain saves them, written by the tests without training. */
public final class TestModels {

    private TestModels() {}

    /** The Fashion-MNIST preset's uniform {@code op} network, freshly initialised, saved in {@code folder}. */
    public static Path uniformFashionMnist(Path folder, String op) throws IOException {
        MobileNetSpace space = MobileNetSpace.fashionMnist();
        try (Supernet supernet = Supernet.of(space)) {
            ChildArchitecture child = ChildArchitecture.uniform(supernet.choices(), op);
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ParameterInfo info : child.parameters(supernet.parameterInfos())) {
                values.put(info.name(), WeightInitializer.initialValue(info, 1));
            }
            new SavedModel(space.spec(), child.chosen(), new Normalization(new float[] {0.29f}, new float[] {0.35f}),
                    io.proxyless.nas.train.InProcessData.integerClassNames(10), values, Map.of())
                    .write(new LocalOutputFolder(folder));
        }
        return folder;
    }
}
