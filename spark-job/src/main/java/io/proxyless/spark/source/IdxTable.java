package io.proxyless.spark.source;

import io.proxyless.nas.data.IdxReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The training files of an IDX folder as a table of (origin, label, image) read by the executors:
 * the driver reads the two headers only, and each task opens both files through the Hadoop
 * FileSystem API and reads its own range of rows (a gzipped file is decompressed up to that range).
 */
final class IdxTable {

    /**
     * Rows per task. A range of a gzipped file is read after decompressing all that comes before it,
     * so gzipped files are cut into fewer ranges.
     */
    private static final int ROWS_PER_RANGE = 16384;
    private static final int ROWS_PER_GZIP_RANGE = 65536;

    private static final StructType LABEL_SCHEMA = new StructType()
            .add(DataSources.ORIGIN, DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false);

    static final StructType SCHEMA = new StructType()
            .add(DataSources.ORIGIN, DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("image", DataTypes.BinaryType, false);

    private IdxTable() {}

    static boolean isIdxFolder(FileSystem fs, Path folder) throws IOException {
        return find(fs, folder, "train-images-idx3-ubyte") != null || hasTestFiles(fs, folder);
    }

    /** Whether the folder holds the {@code t10k} test files beside (or instead of) the training ones. */
    static boolean hasTestFiles(FileSystem fs, Path folder) throws IOException {
        return find(fs, folder, "t10k-images-idx3-ubyte") != null;
    }

    /** @param split {@code train} or {@code t10k}: which pair of files */
    static ImageTable read(SparkSession spark, String folder, String split) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path dir = new Path(folder);
        FileSystem fs = dir.getFileSystem(hadoop);
        Path images = require(fs, dir, split + "-images-idx3-ubyte");
        Path labels = require(fs, dir, split + "-labels-idx1-ubyte");
        int count;
        int[] dims;
        try (IdxReader.Records imageRecords = open(fs, images, true);
                IdxReader.Records labelRecords = open(fs, labels, false)) {
            count = imageRecords.count();
            dims = imageRecords.dimensions();
            if (labelRecords.count() != count) {
                throw new IOException(labels + ": " + labelRecords.count() + " labels but " + images + " has " + count
                        + " images");
            }
        }
        int perRange = images.getName().endsWith(".gz") ? ROWS_PER_GZIP_RANGE : ROWS_PER_RANGE;
        List<long[]> ranges = new ArrayList<>();
        for (long start = 0; start < count; start += perRange) {
            ranges.add(new long[] {start, Math.min(count, start + perRange)});
        }
        HadoopSettings settings = new HadoopSettings(hadoop);
        String imagesName = images.toString();
        String labelsName = labels.toString();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = sc.parallelize(ranges, Math.max(1, ranges.size()))
                .flatMap(range -> readRange(settings, imagesName, labelsName, range[0], (int) (range[1] - range[0])).iterator());
        JavaRDD<Row> labelRows = sc.parallelize(List.of(count), 1)
                .flatMap(n -> readLabels(settings, labelsName, n).iterator());
        return new ImageTable(spark.createDataFrame(rows, SCHEMA), "image", "label", DataSources.ORIGIN,
                new int[] {1, dims[0], dims[1]}, "IDX " + (split.equals("train") ? "folder " : split + " of ")
                        + fs.makeQualified(dir),
                spark.createDataFrame(labelRows, LABEL_SCHEMA));
    }

    private static List<Row> readRange(HadoopSettings settings, String imagesName, String labelsName, long from, int n)
            throws IOException {
        Path images = new Path(imagesName);
        Path labels = new Path(labelsName);
        FileSystem fs = images.getFileSystem(settings.conf());
        byte[] pixels;
        byte[] classes;
        int size;
        try (IdxReader.Records imageRecords = open(fs, images, true);
                IdxReader.Records labelRecords = open(fs, labels, false)) {
            int[] dims = imageRecords.dimensions();
            size = dims[0] * dims[1];
            pixels = imageRecords.read(from, n);
            classes = labelRecords.read(from, n);
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] image = java.util.Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
            rows.add(RowFactory.create(imagesName + " row " + (from + i), Byte.toUnsignedInt(classes[i]), image));
        }
        return rows;
    }

    /** The labels file alone: what counting the classes needs. */
    private static List<Row> readLabels(HadoopSettings settings, String labelsName, int n) throws IOException {
        Path labels = new Path(labelsName);
        byte[] classes;
        try (IdxReader.Records records = open(labels.getFileSystem(settings.conf()), labels, false)) {
            classes = records.read(0, n);
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(labelsName + " row " + i, Byte.toUnsignedInt(classes[i])));
        }
        return rows;
    }

    /** A file's records, its header checked against its size; every error names the file. */
    private static IdxReader.Records open(FileSystem fs, Path file, boolean images) throws IOException {
        return IdxReader.records(fs.open(file), file.toString(), images, fs.getFileStatus(file).getLen());
    }

    private static Path find(FileSystem fs, Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = new Path(dir, name);
            if (fs.isFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path require(FileSystem fs, Path dir, String base) throws IOException {
        Path p = find(fs, dir, base);
        if (p == null) {
            throw new IOException("dataset file " + fs.makeQualified(new Path(dir, base + ".gz")) + " (or without .gz) not found");
        }
        return fs.makeQualified(p);
    }
}
