package io.proxyless.spark.ml;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.latency.MeasuredTableCache;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

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
public final class ProxylessSearch extends ImageEstimator<ProxylessSearch> {

    private static final long serialVersionUID = 1L;

    private final Param<String> searchDir;
    private final IntParam retrainEpochs;

    public ProxylessSearch(String uid) {
        super(uid);
        searchDir = new Param<>(this, "searchDir", "where the search writes its run (a Hadoop path)");
        retrainEpochs = new IntParam(this, "retrainEpochs", "epochs of the retrain");
        setDefault(retrainEpochs, 10);
    }

    public ProxylessSearch() {
        this(Identifiable$.MODULE$.randomUID("proxylessSearch"));
    }

    @Override
    protected ProxylessSearch self() {
        return this;
    }

    public Param<String> searchDir() {
        return searchDir;
    }

    public IntParam retrainEpochs() {
        return retrainEpochs;
    }

    public ProxylessSearch setSearchDir(String value) {
        set(searchDir, value);
        return this;
    }

    public ProxylessSearch setRetrainEpochs(int value) {
        set(retrainEpochs, value);
        return this;
    }

    @Override
    public ProxylessModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        if (!isDefined(searchDir) || !isDefined(modelDir())) {
            throw new IllegalArgumentException("ProxylessSearch needs setSearchDir and setModelDir");
        }
        var spark = dataset.sparkSession();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TrainerConfig search = ConfigLoader.fromYamlText(TrainerConfig.builder().build(), $(config()), "ProxylessSearch config");
        try {
            SpaceLatency latency = HardwareResolver.resolve(search, path -> read(path, hadoop), new MeasuredTableCache(
                    MeasuredTableCache.onSpark(JavaSparkContext.fromSparkContext(spark.sparkContext())),
                    new java.io.File(System.getProperty("user.home"), ".cache/proxyless-spark").toURI().toString(), hadoop));
            SparkSearch.builder(spark).setConfig(search).setData(dataset.toDF()).optImageColumn($(imageCol()))
                    .optLabelColumn($(labelCol())).setOutput($(searchDir)).optLatency(latency).run();
            String architecture = read(new Path($(searchDir), ArchitectureExport.ARCHITECTURE).toString(), hadoop);
            ChildTrainer retrain = new ChildTrainer().setImageCol($(imageCol())).setLabelCol($(labelCol()))
                    .setArchitecture(architecture).setConfig($(config())).setNumEpochs((Integer) $(retrainEpochs))
                    .setModelDir($(modelDir()));
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

    public static MLReader<ProxylessSearch> read() {
        return new DefaultParamsReader<>();
    }

    public static ProxylessSearch load(String path) {
        return read().load(path);
    }
}
