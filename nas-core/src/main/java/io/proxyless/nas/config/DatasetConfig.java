package io.proxyless.nas.config;

import java.io.Serializable;

/**
 * Where the data is and how it is split.
 *
 * @param path an IDX folder (local path or any Hadoop URI), or {@code null} for the Debian package's
 * @param trainPortion the share of each class used for weight steps; the rest drives architecture steps
 * @param limit use only a stratified sample of this many training images (0: all)
 * @param mean normalisation mean
 * @param std normalisation standard deviation
 */
public record DatasetConfig(String path, double trainPortion, int limit, float mean, float std)
        implements Serializable {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

    public DatasetConfig {
        if (!(trainPortion > 0 && trainPortion < 1)) {
            throw new IllegalArgumentException(
                    TrainerConfig.option("train_portion") + " must be in (0, 1), got " + trainPortion);
        }
        if (limit < 0) {
            throw new IllegalArgumentException(TrainerConfig.option("limit") + " must be >= 0, got " + limit);
        }
        if (!(std > 0)) {
            throw new IllegalArgumentException(TrainerConfig.option("std") + " must be > 0, got " + std);
        }
    }

    public static DatasetConfig defaults() {
        return new DatasetConfig(null, 0.5, 0, 0.2860f, 0.3530f);
    }

    public DatasetConfig withPath(String newPath) {
        return new DatasetConfig(newPath, trainPortion, limit, mean, std);
    }

    public DatasetConfig withLimit(int newLimit) {
        return new DatasetConfig(path, trainPortion, newLimit, mean, std);
    }

    public String pathOrDefault() {
        return path != null ? path : DEBIAN_FASHION_MNIST;
    }
}
