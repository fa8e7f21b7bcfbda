package io.proxyless.spark.ml;

import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.export.ArchitectureExport;
import io.proxyless.nas.latency.HardwareResolver;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.latency.CpuTableCache;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The whole path as one Spark ML {@link Estimator}: {@code fit(df)} searches on the image and label
 * columns with the trainer arguments of {@code config} (YAML; {@code applied_hardware} and
 * {@code target_latency} included), writes the run to {@code searchDir}, then retrains the exported
 * network from scratch with {@link ChildTrainer} for {@code retrainEpochs} epochs into
 * {@code modelDir} and returns the fitted {@link ProxylessModel}.
 */
public final class ProxylessSearch extends Estimator<ProxylessModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> imageCol;
    private final Param<String> labelCol;
    private final Param<String> config;
    private final Param<String> searchDir;
    private final Param<String> modelDir;
    private final IntParam retrainEpochs;

    public ProxylessSearch(String uid) {
        this.uid = uid;
        // Params name their parent by uid: they are made once it is set.
        imageCol = new Param<>(this, "imageCol", "image column");
        labelCol = new Param<>(this, "labelCol", "label column: class index or name");
        config = new Param<>(this, "config", "trainer arguments as YAML, for the search and the retrain");
        searchDir = new Param<>(this, "searchDir", "where the search writes its run (a Hadoop path)");
        modelDir = new Param<>(this, "modelDir", "where the model folder is written");
        retrainEpochs = new IntParam(this, "retrainEpochs", "epochs of the retrain");
        setDefault(imageCol, "image");
        setDefault(labelCol, "label");
        setDefault(config, "");
        setDefault(retrainEpochs, 10);
    }

    public ProxylessSearch() {
        this(Identifiable$.MODULE$.randomUID("proxylessSearch"));
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

    public Param<String> config() {
        return config;
    }

    public Param<String> searchDir() {
        return searchDir;
    }

    public Param<String> modelDir() {
        return modelDir;
    }

    public IntParam retrainEpochs() {
        return retrainEpochs;
    }

    public ProxylessSearch setImageCol(String value) {
        set(imageCol, value);
        return this;
    }

    public ProxylessSearch setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public ProxylessSearch setConfig(String yaml) {
        set(config, yaml);
        return this;
    }

    public ProxylessSearch setSearchDir(String value) {
        set(searchDir, value);
        return this;
    }

    public ProxylessSearch setModelDir(String value) {
        set(modelDir, value);
        return this;
    }

    public ProxylessSearch setRetrainEpochs(int value) {
        set(retrainEpochs, value);
        return this;
    }

    @Override
    public ProxylessModel fit(Dataset<?> dataset) {
        if (!isDefined(searchDir) || !isDefined(modelDir)) {
            throw new IllegalArgumentException("ProxylessSearch needs setSearchDir and setModelDir");
        }
        var spark = dataset.sparkSession();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TrainerConfig.Builder builder = TrainerConfig.builder();
        ConfigLoader.apply(ConfigLoader.readYaml(new ByteArrayInputStream($(config).getBytes(StandardCharsets.UTF_8)),
                "ProxylessSearch config"), builder, "ProxylessSearch config");
        TrainerConfig search = builder.build();
        try {
            SpaceLatency latency = HardwareResolver.resolve(search, path -> read(path, hadoop), new CpuTableCache(
                    CpuTableCache.onSpark(JavaSparkContext.fromSparkContext(spark.sparkContext())),
                    new java.io.File(System.getProperty("user.home"), ".cache/proxyless-spark").toURI().toString(), hadoop));
            SparkSearch.builder(spark).setConfig(search).setData(dataset.toDF()).optImageColumn($(imageCol))
                    .optLabelColumn($(labelCol)).setOutput($(searchDir)).optLatency(latency).run();
            String architecture = read(new Path($(searchDir), ArchitectureExport.ARCHITECTURE).toString(), hadoop);
            ChildTrainer retrain = new ChildTrainer().setImageCol($(imageCol)).setLabelCol($(labelCol))
                    .setArchitecture(architecture).setConfig($(config)).setNumEpochs((Integer) $(retrainEpochs))
                    .setModelDir($(modelDir));
            ProxylessModel model = retrain.fit(dataset);
            return model.setParent(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return new ChildTrainer().setImageCol($(imageCol)).setLabelCol($(labelCol)).transformSchema(schema);
    }

    @Override
    public ProxylessSearch copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<ProxylessSearch> read() {
        return new DefaultParamsReader<>();
    }

    public static ProxylessSearch load(String path) {
        return read().load(path);
    }
}
