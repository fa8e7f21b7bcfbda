package io.proxyless.nas.config;

import io.proxyless.nas.data.Normalization;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Where the data is, how to read it and how it is split.
 *
 * @param path an IDX folder, a Parquet path, a table name or an image folder (local path or any
 *     Hadoop URI), or {@code null} for the Debian package's Fashion-MNIST
 * @param format how to read {@code path}: {@code auto} (from what is there), {@code idx},
 *     {@code parquet}, {@code table} or {@code image-folder}
 * @param imageColumn the column of a table holding the image (encoded bytes or a raw tensor)
 * @param labelColumn the column of a table holding the label (an integer, or a class name)
 * @param trainPortion the share of each class used for weight steps; the rest drives architecture steps
 * @param limit use only a stratified sample of this many training images (0: all)
 * @param mean per-channel normalisation mean (one value for every channel), or {@code null} to
 *     compute it from the training rows
 * @param std per-channel normalisation standard deviation, given together with {@code mean}
 * @param maxImagePixels the most pixels an encoded image may declare; a larger one is refused before decoding
 * @param allowEmptyClasses an image folder's class folder without images is left out, not refused
 */
public record DatasetConfig(String path, String format, String imageColumn, String labelColumn, double trainPortion,
        int limit, List<Double> mean, List<Double> std, long maxImagePixels, boolean allowEmptyClasses)
        implements Serializable {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

    /** The values of {@code format}. */
    public static final java.util.List<String> FORMATS = java.util.List.of("auto", "idx", "parquet", "table", "image-folder");

    public DatasetConfig {
        // Ranges are checked with the options (ConfigOptions) when the configuration is built.
        format = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
        if ((mean == null) != (std == null)) {
            throw new IllegalArgumentException(TrainerConfig.option("mean") + " and " + TrainerConfig.option("std")
                    + " go together: give both, or neither to compute them from the data");
        }
        mean = mean == null ? null : List.copyOf(mean);
        std = std == null ? null : List.copyOf(std);
        if (mean != null) {
            new Normalization(floats(mean), floats(std));
        }
    }

    /** Every value at its option's declared default. */
    public static DatasetConfig defaults() {
        return (DatasetConfig) TrainerConfig.sectionDefaults("dataset");
    }

    public DatasetConfig withPath(String newPath) {
        return new DatasetConfig(newPath, format, imageColumn, labelColumn, trainPortion, limit, mean, std, maxImagePixels, allowEmptyClasses);
    }

    /** Where to read, as {@code format}, with this configuration's limits. */
    public DatasetConfig withSource(String newPath, String newFormat) {
        return new DatasetConfig(newPath, newFormat, imageColumn, labelColumn, trainPortion, limit, mean, std, maxImagePixels,
                allowEmptyClasses);
    }

    public DatasetConfig withAllowEmptyClasses(boolean allow) {
        return new DatasetConfig(path, format, imageColumn, labelColumn, trainPortion, limit, mean, std, maxImagePixels,
                allow);
    }

    public DatasetConfig withTrainPortion(double newPortion) {
        return new DatasetConfig(path, format, imageColumn, labelColumn, newPortion, limit, mean, std, maxImagePixels, allowEmptyClasses);
    }

    public DatasetConfig withLimit(int newLimit) {
        return new DatasetConfig(path, format, imageColumn, labelColumn, trainPortion, newLimit, mean, std, maxImagePixels, allowEmptyClasses);
    }

    public DatasetConfig withNormalization(List<Double> newMean, List<Double> newStd) {
        return new DatasetConfig(path, format, imageColumn, labelColumn, trainPortion, limit, newMean, newStd, maxImagePixels, allowEmptyClasses);
    }

    /** The configured normalisation, or {@code null} when it is computed from the data. */
    public Normalization normalization() {
        return mean == null ? null : new Normalization(floats(mean), floats(std));
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    public String pathOrDefault() {
        return path != null ? path : DEBIAN_FASHION_MNIST;
    }
}
