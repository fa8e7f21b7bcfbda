package io.proxyless.spark.ml;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.retrain.RetrainRun;
import io.proxyless.spark.retrain.SparkRetrain;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code retrain} as a Spark ML {@link org.apache.spark.ml.Estimator}: {@code fit(df)} trains the
 * network of {@code architecture} ({@code architecture.json}'s text) from scratch on the image and
 * label columns, with the recipe's defaults under the trainer arguments of {@code config}, writes the
 * model folder to {@code modelDir}, and returns the {@link ProxylessModel}. The held-out tenth of
 * each class scores it every epoch.
 */
public final class ChildTrainer extends ImageEstimator<ChildTrainer> {

    private static final long serialVersionUID = 1L;

    private final Param<String> architecture;
    private final IntParam numEpochs;

    public ChildTrainer(String uid) {
        super(uid);
        architecture = new Param<>(this, "architecture", "architecture.json of a search");
        numEpochs = new IntParam(this, "numEpochs", "epochs of training");
        setDefault(numEpochs, 10);
    }

    public ChildTrainer() {
        this(Identifiable$.MODULE$.randomUID("childTrainer"));
    }

    @Override
    protected ChildTrainer self() {
        return this;
    }

    public Param<String> architecture() {
        return architecture;
    }

    public IntParam numEpochs() {
        return numEpochs;
    }

    public ChildTrainer setArchitecture(String json) {
        set(architecture, json);
        return this;
    }

    public ChildTrainer setNumEpochs(int value) {
        set(numEpochs, value);
        return this;
    }

    @Override
    public ProxylessModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        if (!isDefined(architecture) || !isDefined(modelDir())) {
            throw new IllegalArgumentException("ChildTrainer needs setArchitecture and setModelDir");
        }
        TrainerConfig trainerConfig = ConfigLoader.fromYamlText(RetrainRun.recipe().build(), $(config()), "ChildTrainer config")
                .toBuilder().set("num_epochs", (Integer) $(numEpochs)).build();
        try {
            SparkRetrain.builder(dataset.sparkSession()).setConfig(trainerConfig)
                    .setArchitectureJson($(architecture), "ChildTrainer architecture")
                    .setData(dataset.toDF()).optImageColumn($(imageCol())).optLabelColumn($(labelCol()))
                    .setOutput($(modelDir())).run();
            ProxylessModel model = ProxylessModel.fromModelFolder(dataset.sparkSession(), $(modelDir()));
            model.setImageCol($(imageCol()));
            return model.setParent(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MLReader<ChildTrainer> read() {
        return new DefaultParamsReader<>();
    }

    public static ChildTrainer load(String path) {
        return read().load(path);
    }
}
