package io.proxyless.spark.cli;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code retrain --arch RUN/architecture.json} alone retrains the search's network in the search's space. */
class RetrainCommandTest {

    @Test
    void retrainTakesTheSpaceOfTheSearchFromItsRunFolder(@TempDir Path dir) throws Exception {
        TrainerConfig small = SparkTestSupport.smallConfig(true, 300, 1, 32);
        Path config = dir.resolve("small.yaml");
        Files.writeString(config, new Yaml().dump(Map.of("model", ConfigLoader.modelKeys(small.model()))));
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "search",
                "--master", "local[2]", "--config", config.toString(), "--limit", "300", "--num-epochs", "1",
                "--batch-size", "32", "--output", run.toString()), err.toString());
        // A search's file, as the quickstart's: its warmup (5 epochs, more than this retrain's 1) and its
        // architecture keys are the search's own, and a retrain leaves them out.
        Path searchFile = dir.resolve("search.yaml");
        Files.writeString(searchFile, Files.readString(config)
                + "warmup_epochs: 5\narc_learning_rate: 0.01\ndataset:\n  train_portion: 0.5\n");
        Path model = dir.resolve("model");
        assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "retrain",
                "--master", "local[2]", "--arch", run.resolve("architecture.json").toString(), "--limit", "300",
                "--config", searchFile.toString(), "--num-epochs", "1", "--batch-size", "32", "--output",
                model.toString()), err.toString());
        SavedModel saved = SavedModel.load(new LocalFileSource(model));
        assertEquals(small.model().spec(), saved.space(), "the search's space, read from its run.json");
        assertEquals(io.proxyless.nas.arch.ArchitectureExport.parseArchitecture(
                Files.readString(run.resolve("architecture.json")), "search"), saved.architecture());
    }
}
