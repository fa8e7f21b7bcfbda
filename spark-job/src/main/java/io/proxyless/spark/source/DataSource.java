package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/**
 * A format the images can come in: its name (a value of {@code dataset.format}), how to tell it
 * from what is at a path, and how to open it as an {@link ImageTable}. Registered in
 * {@link DataSources}, whose order is the order of detection.
 */
public interface DataSource {

    /** The training rows or the test rows; only a format that holds both (IDX) tells them apart. */
    enum Part { TRAIN, TEST }

    String name();

    /** Whether {@code location} holds this format. Reads listings and headers only. */
    boolean detects(SparkSession spark, Location location) throws IOException;

    /** The rows of {@code part}; nothing is read but listings and headers. */
    ImageTable open(SparkSession spark, DatasetConfig dataset, Part part) throws IOException;

    /** Whether this dataset has test rows of its own ({@link Part#TEST} differs from TRAIN). */
    default boolean hasTestPart(SparkSession spark, DatasetConfig dataset) throws IOException {
        return false;
    }
}
