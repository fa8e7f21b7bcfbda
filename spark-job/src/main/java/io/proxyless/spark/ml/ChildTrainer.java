package io.proxyless.spark.ml;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.retrain.RetrainRun;
import io.proxyless.spark.retrain.SparkRetrain;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code retrain} as a Spark ML {@link Estimator}: {@code fit(df)} trains the network of
 * {@code architecture} ({@code architecture.json}'s text) from scratch on the image and label
 * columns, with the recipe's defaults under the trainer arguments of {@code config} (YAML, as the
 * conf files hold them), writes the model folder to {@code modelDir}, and returns the
 * {@link ProxylessModel}. The held-out tenth of each class scores it every epoch.
 */
public final class ChildTrainer extends Estimator<ProxylessModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> imageCol;
    private final Param<String> labelCol;
    private final Param<String> architecture;
    private final Param<String> config;
    private final IntParam numEpochs;
    private final Param<String> modelDir;

    public ChildTrainer(String uid) {
        this.uid = uid;
        // Params name their parent by uid: they are made once it is set.
        imageCol = new Param<>(this, "imageCol", "image column");
        labelCol = new Param<>(this, "labelCol", "label column: class index or name");
        architecture = new Param<>(this, "architecture", "architecture.json of a search");
        config = new Param<>(this, "config", "trainer arguments as YAML (model, optimizer, ...)");
        numEpochs = new IntParam(this, "numEpochs", "epochs of training");
        modelDir = new Param<>(this, "modelDir", "where the model folder is written (a Hadoop path)");
        setDefault(imageCol, "image");
        setDefault(labelCol, "label");
        setDefault(config, "");
        setDefault(numEpochs, 10);
    }

    public ChildTrainer() {
        this(Identifiable$.MODULE$.randomUID("childTrainer"));
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> imageCol() {
        return imageCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> architecture() {
        return architecture;
    }

    public Param<String> config() {
        return config;
    }

    public IntParam numEpochs() {
        return numEpochs;
    }

    public Param<String> modelDir() {
        return modelDir;
    }

    public ChildTrainer setImageCol(String value) {
        set(imageCol, value);
        return this;
    }

    public ChildTrainer setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public ChildTrainer setArchitecture(String json) {
        set(architecture, json);
        return this;
    }

    public ChildTrainer setConfig(String yaml) {
        set(config, yaml);
        return this;
    }

    public ChildTrainer setNumEpochs(int value) {
        set(numEpochs, value);
        return this;
    }

    public ChildTrainer setModelDir(String value) {
        set(modelDir, value);
        return this;
    }

    @Override
    public ProxylessModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        if (!isDefined(architecture) || !isDefined(modelDir)) {
            throw new IllegalArgumentException("ChildTrainer needs setArchitecture and setModelDir");
        }
        TrainerConfig.Builder recipe = RetrainRun.recipe();
        ConfigLoader.apply(ConfigLoader.readYaml(new ByteArrayInputStream($(config).getBytes(StandardCharsets.UTF_8)),
                "ChildTrainer config"), recipe, "ChildTrainer config");
        TrainerConfig trainerConfig = recipe.optNumEpochs((Integer) $(numEpochs)).build();
        try {
            SparkRetrain.builder(dataset.sparkSession()).setConfig(trainerConfig)
                    .setArchitectureJson($(architecture), "ChildTrainer architecture")
                    .setData(dataset.toDF()).optImageColumn($(imageCol)).optLabelColumn($(labelCol))
                    .setOutput($(modelDir)).run();
            ProxylessModel model = ProxylessModel.fromModelFolder(dataset.sparkSession(), $(modelDir));
            model.setImageCol($(imageCol));
            return model.setParent(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        for (String column : new String[] {$(imageCol), $(labelCol)}) {
            if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("ChildTrainer: no column '" + column + "' in " + schema.simpleString());
            }
        }
        return schema;
    }

    @Override
    public ChildTrainer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static org.apache.spark.ml.util.MLReader<ChildTrainer> read() {
        return new org.apache.spark.ml.util.DefaultParamsReader<>();
    }

    public static ChildTrainer load(String path) {
        return read().load(path);
    }
}
