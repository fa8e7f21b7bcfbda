package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/** Parquet: one file, or a folder of them, partition folders ({@code key=value}) included. */
final class ParquetSource implements DataSource {

    private static final int PARTITION_DEPTH = 3;

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public boolean detects(SparkSession spark, Location location) throws IOException {
        if (location.isFile()) {
            return location.path().getName().endsWith(".parquet");
        }
        return location.isFolder() && holdsParquet(location.fs(), location.path(), PARTITION_DEPTH);
    }

    /** Parquet files here or in partition folders below, to {@code depth} levels. */
    private static boolean holdsParquet(FileSystem fs, Path dir, int depth) throws IOException {
        for (FileStatus child : fs.listStatus(dir)) {
            String name = child.getPath().getName();
            if (child.isFile() && name.endsWith(".parquet")) {
                return true;
            }
            if (child.isDirectory() && name.contains("=") && depth > 1 && holdsParquet(fs, child.getPath(), depth - 1)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ImageTable open(SparkSession spark, DatasetConfig dataset, Part part) {
        String path = dataset.pathOrDefault();
        return FileOrigin.named(spark.read().parquet(path), dataset, "Parquet " + path);
    }
}
