package io.proxyless.spark.ml;

import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.udfs.classify.Classify;
import io.proxyless.udfs.fs.HadoopFileSource;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.apache.spark.sql.functions.col;

/**
 * A trained child network as a Spark ML {@link org.apache.spark.ml.Transformer}: adds
 * {@code predictionCol} (the class index, a double, as Spark ML classifiers give it),
 * {@code predictedLabelCol} (its name) and {@code probabilityCol} (its softmax probability), computed
 * {@code batchSize} rows at a time per partition with the network loaded once per executor JVM.
 * Saved with {@code write().save(path)}: Spark ML's metadata plus the model folder in {@code path/model}.
 */
public final class ProxylessModel extends Model<ProxylessModel> implements MLWritable {

    private static final long serialVersionUID = 1L;
    static final String MODEL_FOLDER = "model";

    private final String uid;
    private final transient SavedModel saved;
    private transient Classify classify;
    private transient org.apache.spark.SparkContext classifySession;

    private final Param<String> imageCol;
    private final Param<String> predictionCol;
    private final Param<String> predictedLabelCol;
    private final Param<String> probabilityCol;
    private final IntParam batchSize;

    public ProxylessModel(String uid, SavedModel saved) {
        this.uid = uid;
        // Params name their parent by uid: they are made once it is set.
        imageCol = new Param<>(this, "imageCol", "image column: PNG/JPEG bytes, raw bytes or array<float>");
        predictionCol = new Param<>(this, "predictionCol", "class index column (double)");
        predictedLabelCol = new Param<>(this, "predictedLabelCol", "class name column");
        probabilityCol = new Param<>(this, "probabilityCol", "probability of the prediction");
        batchSize = new IntParam(this, "batchSize", "rows per forward pass");
        this.saved = saved;
        setDefault(imageCol, "image");
        setDefault(predictionCol, "prediction");
        setDefault(predictedLabelCol, "predictedLabel");
        setDefault(probabilityCol, "probability");
        setDefault(batchSize, 256);
    }

    public ProxylessModel(SavedModel saved) {
        this(Identifiable$.MODULE$.randomUID("proxylessModel"), saved);
    }

    /** The model folder written by {@code retrain} (any Hadoop path), checked as it loads. */
    public static ProxylessModel fromModelFolder(org.apache.spark.sql.SparkSession spark, String folder) throws IOException {
        return new ProxylessModel(SavedModel.load(new HadoopFileSource(folder, spark.sparkContext().hadoopConfiguration())));
    }

    public SavedModel savedModel() {
        return saved;
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> imageCol() {
        return imageCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> predictedLabelCol() {
        return predictedLabelCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public ProxylessModel setImageCol(String value) {
        set(imageCol, value);
        return this;
    }

    public ProxylessModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public ProxylessModel setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String detail = "_proxyless_prediction";
        Dataset<Row> predicted = classify(dataset.sparkSession()).transform(dataset.toDF(), $(imageCol), detail,
                (Integer) $(batchSize));
        return predicted
                .withColumn($(predictionCol), col(detail + ".index").cast(DataTypes.DoubleType))
                .withColumn($(predictedLabelCol), col(detail + ".label"))
                .withColumn($(probabilityCol), col(detail + ".probability"))
                .drop(detail);
    }

    /**
     * One broadcast per model and session, so executors load the network once however many times it
     * transforms; Spark's cleaner drops the broadcast once this model is unreachable.
     */
    private synchronized Classify classify(org.apache.spark.sql.SparkSession spark) {
        if (classify == null || classifySession != spark.sparkContext()) {
            classify = Classify.of(spark, saved);
            classifySession = spark.sparkContext();
        }
        return classify;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains($(imageCol))) {
            throw new IllegalArgumentException("ProxylessModel: no image column '" + $(imageCol) + "' in " + schema.simpleString());
        }
        return schema.add($(predictionCol), DataTypes.DoubleType, false)
                .add($(predictedLabelCol), DataTypes.StringType, false)
                .add($(probabilityCol), DataTypes.FloatType, false);
    }

    @Override
    public ProxylessModel copy(ParamMap extra) {
        return copyValues(new ProxylessModel(uid, saved), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<ProxylessModel> read() {
        return new Reader();
    }

    public static ProxylessModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final ProxylessModel model;

        Writer(ProxylessModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            try {
                model.saved.write(new HadoopOutputFolder(new Path(path, MODEL_FOLDER).toString(),
                        sc().hadoopConfiguration()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Reader extends MLReader<ProxylessModel> {
        @Override
        public ProxylessModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    ProxylessModel.class.getName());
            try {
                SavedModel saved = SavedModel.load(new HadoopFileSource(new Path(path, MODEL_FOLDER).toString(),
                        sc().hadoopConfiguration()));
                ProxylessModel model = new ProxylessModel(metadata.uid(), saved);
                metadata.getAndSetParams(model, scala.Option.empty());
                return model;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
