package io.proxyless.nas.retrain;

import io.proxyless.nas.TestData;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.Evaluation;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.nas.train.InProcessData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InProcessRetrainTest {

    /** The small space of {@link TestData#smallSearch}, retrained with the recipe on real images. */
    static TrainerConfig retrainConfig(int limit, int epochs) {
        TrainerConfig search = TestData.smallSearch(limit, epochs);
        return RetrainRun.recipe().optModel(search.model()).optOptimizer(search.optimizer())
                .optDataset(DatasetConfig.defaults().withTrainPortion(0.8).withLimit(limit))
                .set("num_epochs", epochs).set("batch_size", 32).set("log_frequency", 5).set("seed", 3).build();
    }

    @Test
    void retrainedUniformNetworkLearnsSavesAndReloadsToTheSamePredictions(@TempDir Path out) throws Exception {
        TrainerConfig config = retrainConfig(1500, 3);
        Map<String, List<String>> uniform;
        try (Supernet supernet = Supernet.of(config.model())) {
            uniform = ChildArchitecture.uniform(supernet.choices(), "k3e3").chosen();
        }
        RetrainRun.Result result = RetrainRun.run(config, uniform, "--uniform k3e3", TestData.loader(config), null,
                new LocalOutputFolder(out));

        assertEquals(3, result.epochs().size(), "one test evaluation per epoch");
        assertEquals(300, result.test().count(), "the hold-out: 20% of 1500 rows");
        assertTrue(result.test().top1() > 0.5, "top-1 on the hold-out, 10 classes (chance 0.1): " + result.test().top1());
        assertTrue(result.test().top5() >= result.test().top1());
        for (String file : List.of("model.json", "model.safetensors", "architecture.json", "synset.txt", "metrics.json",
                "metrics.jsonl", "_SUCCESS")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }

        SavedModel loaded = SavedModel.load(new LocalFileSource(out));
        assertEquals(uniform, loaded.architecture());
        assertEquals(config.model().spec(), loaded.space());
        assertEquals(config.model(), loaded.space().create());
        assertEquals(result.model().classNames(), loaded.classNames());
        assertArrayEquals(result.model().normalization().mean(), loaded.normalization().mean());
        for (Map.Entry<String, float[]> e : result.model().values().entrySet()) {
            assertArrayEquals(e.getValue(), loaded.values().get(e.getKey()), e.getKey());
        }
        ImageDataset holdOut = InProcessData.load(config, TestData.fashionMnist()).archSplit();
        try (Classifier classifier = new Classifier(loaded)) {
            Evaluation again = classifier.evaluate(holdOut);
            assertEquals(result.test().top1(), again.top1(), 0.0, "the reloaded model scores the same");
            byte[] pixels = holdOut.pixels(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
            Classifier.Prediction[] predictions = classifier.classify(pixels, 8);
            long correct = 0;
            for (int i = 0; i < 8; i++) {
                assertEquals(Integer.toString(predictions[i].index()), predictions[i].label());
                assertTrue(predictions[i].probability() > 0.1f && predictions[i].probability() <= 1f);
                correct += predictions[i].index() == holdOut.label(i) ? 1 : 0;
            }
            assertTrue(correct >= 3, "correct of 8: " + correct);
        }
        // A finished model folder is never overwritten.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RetrainRun.run(config,
                uniform, "--uniform k3e3", TestData.loader(config), null, new LocalOutputFolder(out)));
        assertTrue(refused.getMessage().contains("already holds a finished model"), refused.getMessage());
    }

    @Test
    void architectureNamingWhatTheSpaceLacksIsRefusedWithTheName() {
        TrainerConfig config = retrainConfig(300, 1);
        try (Supernet supernet = Supernet.of(config.model())) {
            IllegalArgumentException unknownOp = assertThrows(IllegalArgumentException.class, () ->
                    ChildArchitecture.parse(supernet.choices(), "{\"s0\": \"k9e9\", \"s1\": \"k3e3\", \"s2\": \"k3e3\"}",
                            "run/architecture.json"));
            assertTrue(unknownOp.getMessage().contains("run/architecture.json")
                    && unknownOp.getMessage().contains("'s0' has no candidate 'k9e9'"), unknownOp.getMessage());
            IllegalArgumentException unknownLabel = assertThrows(IllegalArgumentException.class, () ->
                    ChildArchitecture.parse(supernet.choices(),
                            "{\"s0\": \"k3e3\", \"s1\": \"k3e3\", \"s2\": \"k3e3\", \"s7\": \"k3e3\"}", "a.json"));
            assertTrue(unknownLabel.getMessage().contains("'s7'"), unknownLabel.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () ->
                    ChildArchitecture.parse(supernet.choices(), "{\"s0\": \"k3e3\"}", "a.json"));
            assertTrue(missing.getMessage().contains("no choice for 's1'"), missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ChildArchitecture.uniform(supernet.choices(), "k7e6"));
        }
    }
}
