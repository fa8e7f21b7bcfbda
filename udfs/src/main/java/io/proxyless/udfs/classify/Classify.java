package io.proxyless.udfs.classify;

import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.udfs.fs.HadoopFileSource;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A saved model as Spark functions. {@code Classify.register(spark, modelDir)} checks the model
 * folder on the driver, broadcasts it, and registers {@code classify(image)} for SQL, returning
 * {@code struct<label: string, index: int, probability: float>}. Each executor JVM builds the
 * network once ({@link ModelCache}). {@link #transform} adds the same column batch by batch over each
 * partition: the fast path for DataFrames, as a SQL function sees one row at a time.
 */
public final class Classify implements AutoCloseable {

    public static final String NAME = "classify";

    /** What {@code classify(image)} returns. */
    public static final StructType PREDICTION = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("index", DataTypes.IntegerType, false)
            .add("probability", DataTypes.FloatType, false);

    private final Broadcast<SavedModel> model;

    private Classify(Broadcast<SavedModel> model) {
        this.model = model;
    }

    /** Loads and checks the model folder (any Hadoop path), then registers {@code classify}. */
    public static Classify register(SparkSession spark, String modelDir) throws IOException {
        return register(spark, SavedModel.load(new HadoopFileSource(modelDir, spark.sparkContext().hadoopConfiguration())));
    }

    /** Registers {@code classify} for a model already loaded. */
    public static Classify register(SparkSession spark, SavedModel saved) {
        Classify classify = of(spark, saved);
        Broadcast<SavedModel> model = classify.model;
        int[] shape = saved.space().inputShape();
        UDF1<Object, Row> function = image -> {
            Classifier c = ModelCache.of(model);
            byte[] pixels = ImageInput.pixels(image, shape, NAME + "(image)");
            synchronized (c) {
                return row(c.classify(pixels, 1)[0]);
            }
        };
        spark.udf().register(NAME, function, PREDICTION);
        return classify;
    }

    /** The model broadcast for {@link #transform}, without registering a SQL function. */
    public static Classify of(SparkSession spark, SavedModel saved) {
        return new Classify(JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(saved));
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
        Broadcast<SavedModel> m = model;
        int[] shape = model.value().space().inputShape();
        String where = NAME + " of column '" + imageColumn + "'";
        return rows.mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) input ->
                new Batches(input, batch, m, shape, imageIndex, where), Encoders.row(outSchema));
    }

    private static Row row(Classifier.Prediction p) {
        return RowFactory.create(p.label(), p.index(), p.probability());
    }

    /** Rows with their prediction, {@code batch} at a time. */
    private static final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final int batch;
        private final Broadcast<SavedModel> model;
        private final int[] shape;
        private final int imageIndex;
        private final String where;
        private final List<Row> ready = new ArrayList<>();
        private int next;

        Batches(Iterator<Row> input, int batch, Broadcast<SavedModel> model, int[] shape, int imageIndex, String where) {
            this.input = input;
            this.batch = batch;
            this.model = model;
            this.shape = shape;
            this.imageIndex = imageIndex;
            this.where = where;
        }

        @Override
        public boolean hasNext() {
            if (next < ready.size()) {
                return true;
            }
            ready.clear();
            next = 0;
            if (!input.hasNext()) {
                return false;
            }
            List<Row> rows = new ArrayList<>(batch);
            while (rows.size() < batch && input.hasNext()) {
                rows.add(input.next());
            }
            int size = shape[0] * shape[1] * shape[2];
            byte[] pixels = new byte[rows.size() * size];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(ImageInput.pixels(rows.get(i).get(imageIndex), shape, where), 0, pixels, i * size, size);
            }
            Classifier c = ModelCache.of(model);
            Classifier.Prediction[] predictions;
            synchronized (c) {
                predictions = c.classify(pixels, rows.size());
            }
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                Object[] values = new Object[r.length() + 1];
                for (int j = 0; j < r.length(); j++) {
                    values[j] = r.get(j);
                }
                values[r.length()] = row(predictions[i]);
                ready.add(RowFactory.create(values));
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }
    }

    /**
     * Destroys the broadcast: later queries cannot use the function. Executors keep their classifier
     * until newer models push it out ({@link ModelCache}).
     */
    @Override
    public void close() {
        model.destroy(false);
    }
}
