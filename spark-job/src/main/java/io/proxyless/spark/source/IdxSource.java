package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/** An IDX folder (MNIST, Fashion-MNIST): {@code train-*} files, and {@code t10k-*} test files where present. */
final class IdxSource implements DataSource {

    @Override
    public String name() {
        return "idx";
    }

    @Override
    public boolean detects(SparkSession spark, Location location) throws IOException {
        return location.isFolder() && IdxTable.isIdxFolder(location.fs(), location.path());
    }

    @Override
    public ImageTable open(SparkSession spark, DatasetConfig dataset, Part part) throws IOException {
        return IdxTable.read(spark, dataset.pathOrDefault(), part == Part.TEST ? "t10k" : "train");
    }

    @Override
    public boolean hasTestPart(SparkSession spark, DatasetConfig dataset) throws IOException {
        Path folder = new Path(dataset.pathOrDefault());
        return IdxTable.hasTestFiles(folder.getFileSystem(spark.sparkContext().hadoopConfiguration()), folder);
    }
}
