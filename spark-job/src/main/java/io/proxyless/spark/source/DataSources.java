package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.BadDataException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

/**
 * Opens {@code dataset.path} with Spark's own readers, in the format {@code dataset.format} names or,
 * for {@code auto}, the one found there: a catalog table, an IDX folder, Parquet, or an image
 * folder. Nothing is read here but listings and headers.
 */
public final class DataSources {

    /** The column naming each row's file and row, where the source knows them. */
    public static final String ORIGIN = "_proxyless_origin";

    private DataSources() {}

    /** The training rows of {@code dataset}: of an IDX folder, its {@code train} files. */
    public static ImageTable open(SparkSession spark, DatasetConfig dataset) throws IOException {
        return open(spark, dataset, "train");
    }

    /**
     * The test rows of {@code dataset}: of an IDX folder, its {@code t10k} files; anything else is a
     * test set as it stands.
     */
    public static ImageTable openTest(SparkSession spark, DatasetConfig dataset) throws IOException {
        return open(spark, dataset, "t10k");
    }

    /** Whether {@code dataset} is an IDX folder that holds {@code t10k} test files too. */
    public static boolean hasIdxTestFiles(SparkSession spark, DatasetConfig dataset) throws IOException {
        String path = dataset.pathOrDefault();
        String format = dataset.format().equals("auto") ? detect(spark, path) : dataset.format();
        if (!format.equals("idx")) {
            return false;
        }
        Path p = new Path(path);
        return IdxTable.hasTestFiles(p.getFileSystem(spark.sparkContext().hadoopConfiguration()), p);
    }

    private static ImageTable open(SparkSession spark, DatasetConfig dataset, String idxSplit) throws IOException {
        String path = dataset.pathOrDefault();
        String format = dataset.format().equals("auto") ? detect(spark, path) : dataset.format();
        return switch (format) {
            case "idx" -> IdxTable.read(spark, path, idxSplit);
            case "image-folder" -> new ImageTable(ImageFolderTable.read(spark, path, dataset.allowEmptyClasses()), "image", "label", ORIGIN, null,
                    "image folder " + path);
            case "parquet" -> withOrigin(spark.read().parquet(path), dataset, "Parquet " + path);
            case "table" -> withOrigin(spark.table(path), dataset, "table " + path);
            default -> throw new IllegalStateException(format);
        };
    }

    /** The format of what is at {@code path}: a table name, or what the folder holds. */
    static String detect(SparkSession spark, String path) throws IOException {
        boolean pathLike = path.contains("/") || path.contains(":");
        if (!pathLike && spark.catalog().tableExists(path)) {
            return "table";
        }
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(p)) {
            throw new BadDataException(TrainerConfig.option("data") + ": " + path + " is neither a path nor a table"
                    + (pathLike ? "" : " in the catalog"));
        }
        FileStatus status = fs.getFileStatus(p);
        if (status.isFile()) {
            if (p.getName().endsWith(".parquet")) {
                return "parquet";
            }
            throw new BadDataException(TrainerConfig.option("data") + ": " + path + " is a file, not a Parquet file or a"
                    + " folder; give " + TrainerConfig.option("data_format") + " to read it as one of " + DatasetConfig.FORMATS);
        }
        if (IdxTable.isIdxFolder(fs, p)) {
            return "idx";
        }
        if (holdsParquet(fs, p, 3)) {
            return "parquet";
        }
        if (ImageFolderTable.looksLikeImageFolder(fs, p)) {
            return "image-folder";
        }
        throw new BadDataException(TrainerConfig.option("data") + ": cannot tell what " + path + " holds (no IDX training"
                + " files, no .parquet files, no class folders); it has " + Arrays.toString(
                        Arrays.stream(fs.listStatus(p)).limit(10).map(s -> s.getPath().getName()).toArray()));
    }

    /** Parquet files here or in partition folders ({@code key=value}) below, to {@code depth} levels. */
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

    /** A file-backed table with each row named by its file and row index, where Spark knows them. */
    private static ImageTable withOrigin(Dataset<Row> rows, DatasetConfig dataset, String description) {
        List<String> columns = Arrays.asList(rows.columns());
        Dataset<Row> named = rows;
        String origin = null;
        if (!columns.contains(ORIGIN)) {
            try {
                named = rows.withColumn(ORIGIN, concat(col("_metadata.file_path"), lit(" row "),
                        col("_metadata.row_index").cast("string")));
                origin = ORIGIN;
            } catch (Exception e) { // an AnalysisException, which Java cannot name in a catch
                // Not file-backed, or a format without row indices: rows are then named by their label.
                named = rows;
            }
        }
        return new ImageTable(named, dataset.imageColumn(), dataset.labelColumn(), origin, null, description);
    }
}
