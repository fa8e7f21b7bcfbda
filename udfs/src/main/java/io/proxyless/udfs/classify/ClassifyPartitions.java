package io.proxyless.udfs.classify;

import io.proxyless.nas.savedmodel.Classifier;
import io.proxyless.nas.savedmodel.SavedModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A partition's rows with their prediction appended, classified {@code batch} rows per forward
 * pass. The same function serves {@link Classify#transform} (as a Java {@link MapPartitionsFunction})
 * and the SQL function once {@link BatchedClassify} has planned it (as a Scala function).
 */
final class ClassifyPartitions implements MapPartitionsFunction<Row, Row>,
        scala.Function1<scala.collection.Iterator<Row>, scala.collection.Iterator<Row>> {

    private final Broadcast<SavedModel> model;
    private final int[] shape;
    private final int imageIndex;
    private final int batch;
    private final String where;

    ClassifyPartitions(Broadcast<SavedModel> model, int[] shape, int imageIndex, int batch, String where) {
        if (batch < 1) {
            throw new IllegalArgumentException("classify: the batch must be at least 1, got " + batch);
        }
        this.model = model;
        this.shape = shape.clone();
        this.imageIndex = imageIndex;
        this.batch = batch;
        this.where = where;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Batches(input);
    }

    @Override
    public scala.collection.Iterator<Row> apply(scala.collection.Iterator<Row> input) {
        return CollectionConverters.asScala(call(CollectionConverters.asJava(input)));
    }

    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final List<Row> ready = new ArrayList<>();
        private int next;

        Batches(Iterator<Row> input) {
            this.input = input;
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
            Classifier.Prediction[] predictions = classify(rows);
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                Object[] values = new Object[r.length() + 1];
                for (int j = 0; j < r.length(); j++) {
                    values[j] = r.get(j);
                }
                values[r.length()] = Classify.row(predictions[i]);
                ready.add(RowFactory.create(values));
            }
            return true;
        }

        private Classifier.Prediction[] classify(List<Row> rows) {
            int size = shape[0] * shape[1] * shape[2];
            byte[] pixels = new byte[rows.size() * size];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(ImageInput.pixels(rows.get(i).get(imageIndex), shape, where), 0, pixels, i * size, size);
            }
            Classifier c = ModelCache.of(model);
            synchronized (c) {
                return c.classify(pixels, rows.size());
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }
    }
}
