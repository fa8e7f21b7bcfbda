package io.proxyless.udfs.classify;

import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.udfs.fs.HadoopFileSource;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A saved model as Spark functions. {@code Classify.register(spark, modelDir)} checks the model
 * folder on the driver, broadcasts it, and registers {@code classify(image)} for SQL, returning
 * {@code struct<label: string, index: int, probability: float>}. Each executor JVM builds the
 * network once ({@link ModelCache}). In a projection the session plans the call as a batched pass
 * over each partition ({@link BatchedClassify}, {@value BatchedClassify#BATCH_KEY} rows per forward
 * pass); in a filter or a join condition it runs row by row. {@link #transform} adds the same
 * column to a DataFrame with the same batched pass.
 */
public final class Classify implements AutoCloseable {

    public static final String NAME = "classify";

    /** What {@code classify(image)} returns. */
    public static final StructType PREDICTION = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("index", DataTypes.IntegerType, false)
            .add("probability", DataTypes.FloatType, false);

    private final Broadcast<SavedModel> model;
    private final SparkSession spark;

    private Classify(Broadcast<SavedModel> model, SparkSession spark) {
        this.model = model;
        this.spark = spark;
    }

    /** Loads and checks the model folder (any Hadoop path), then registers {@code classify}. */
    public static Classify register(SparkSession spark, String modelDir) throws IOException {
        return register(spark, SavedModel.load(new HadoopFileSource(modelDir, spark.sparkContext().hadoopConfiguration())));
    }

    /** Registers {@code classify} for a model already loaded. */
    public static Classify register(SparkSession spark, SavedModel saved) {
        Classify classify = of(spark, saved);
        Broadcast<SavedModel> model = classify.model;
        int[] shape = saved.space().create().inputShape();
        UDF1<Object, Row> function = image -> {
            Classifier c = ModelCache.of(model);
            byte[] pixels = ImageInput.pixels(image, shape, NAME + "(image)");
            synchronized (c) {
                return row(c.classify(pixels, 1)[0]);
            }
        };
        spark.udf().register(NAME, function, PREDICTION);
        List<Rule<LogicalPlan>> rules = otherRules(spark, r -> true);
        rules.add(new BatchedClassify(classify, spark));
        spark.experimental().extraOptimizations_$eq(CollectionConverters.asScala(rules).toList());
        return classify;
    }

    /** The model broadcast for {@link #transform}, without registering a SQL function. */
    public static Classify of(SparkSession spark, SavedModel saved) {
        return new Classify(JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(saved), spark);
    }

    /**
     * {@code rows} with a column {@code output} of {@link #PREDICTION}, computed {@code batch} rows at a
     * time over each partition.
     */
    public Dataset<Row> transform(Dataset<Row> rows, String imageColumn, String output, int batch) {
        StructType schema = rows.schema();
        int imageIndex = schema.fieldIndex(imageColumn);
        ImageInput.checkType(schema.fields()[imageIndex].dataType(), imageColumn);
        StructType outSchema = schema.add(output, PREDICTION, false);
        return rows.mapPartitions((MapPartitionsFunction<Row, Row>) partitions(imageIndex, batch, NAME + " of column '" + imageColumn + "'"),
                Encoders.row(outSchema));
    }

    /** Each partition's rows with their prediction appended, classified {@code batch} at a time. */
    ClassifyPartitions partitions(int imageIndex, int batch, String where) {
        return new ClassifyPartitions(model, model.value().space().create().inputShape(), imageIndex, batch, where);
    }

    /** The session's optimizer rules without the {@link BatchedClassify} rules that {@code which} picks. */
    private static List<Rule<LogicalPlan>> otherRules(SparkSession spark, Predicate<BatchedClassify> which) {
        List<Rule<LogicalPlan>> rules = new ArrayList<>(CollectionConverters.asJava(spark.experimental().extraOptimizations()));
        rules.removeIf(r -> r instanceof BatchedClassify b && which.test(b));
        return rules;
    }

    static Row row(Classifier.Prediction p) {
        return RowFactory.create(p.label(), p.index(), p.probability());
    }

    /**
     * Destroys the broadcast: later queries cannot use the function. Executors keep their classifier
     * until newer models push it out ({@link ModelCache}).
     */
    @Override
    public void close() {
        List<Rule<LogicalPlan>> rules = otherRules(spark, b -> b.classify() == this);
        spark.experimental().extraOptimizations_$eq(CollectionConverters.asScala(rules).toList());
        model.destroy(false);
    }
}
