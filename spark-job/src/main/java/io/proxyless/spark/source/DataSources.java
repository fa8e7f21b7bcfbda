package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.BadDataException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Opens {@code dataset.path} with Spark's own readers, in the format {@code dataset.format} names or,
 * for {@code auto}, the first registered {@link DataSource} that detects what is there: a catalog
 * table, an IDX folder, Parquet, or an image folder. Nothing is read here but listings and headers.
 */
public final class DataSources {

    /** The column naming each row's file and row, where the source knows them. */
    public static final String ORIGIN = "_proxyless_origin";

    /** The format that is detected rather than named. */
    public static final String AUTO = "auto";

    /**
     * Every source, in the order of detection. Only a table detects a name that is not a path, and
     * only the others detect a path, so the table's place among them does not matter.
     */
    private static final List<DataSource> REGISTERED =
            List.of(new IdxSource(), new ParquetSource(), new TableSource(), new ImageFolderSource());

    private DataSources() {}

    /** {@link #AUTO} and the registered formats' names: the values {@code dataset.format} takes. */
    public static List<String> formats() {
        List<String> names = new ArrayList<>(List.of(AUTO));
        REGISTERED.forEach(source -> names.add(source.name()));
        return names;
    }

    /** The training rows of {@code dataset}: of an IDX folder, its {@code train} files. */
    public static ImageTable open(SparkSession spark, DatasetConfig dataset) throws IOException {
        return sourceOf(spark, dataset).open(spark, dataset, DataSource.Part.TRAIN);
    }

    /**
     * The test rows of {@code dataset}: of an IDX folder, its {@code t10k} files; anything else is a
     * test set as it stands.
     */
    public static ImageTable openTest(SparkSession spark, DatasetConfig dataset) throws IOException {
        return sourceOf(spark, dataset).open(spark, dataset, DataSource.Part.TEST);
    }

    /** Whether {@code dataset} holds test rows of its own (an IDX folder with {@code t10k} files). */
    public static boolean hasTestPart(SparkSession spark, DatasetConfig dataset) throws IOException {
        return sourceOf(spark, dataset).hasTestPart(spark, dataset);
    }

    private static DataSource sourceOf(SparkSession spark, DatasetConfig dataset) throws IOException {
        String format = dataset.format();
        if (format.equals(AUTO)) {
            return detect(spark, dataset.pathOrDefault());
        }
        return REGISTERED.stream().filter(source -> source.name().equals(format)).findFirst()
                .orElseThrow(() -> new BadDataException(TrainerConfig.option("data_format") + ": '" + format
                        + "' is not one of " + formats()));
    }

    /** The source of what is at {@code path}: a table name, or what the file or folder holds. */
    private static DataSource detect(SparkSession spark, String path) throws IOException {
        Location name = new Location(path, null, null);
        DataSource table = name.pathLike() ? null : firstDetecting(spark, name);
        if (table != null) {
            return table;
        }
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(p)) {
            throw new BadDataException(TrainerConfig.option("data") + ": " + path + " is neither a path nor a table"
                    + (name.pathLike() ? "" : " in the catalog"));
        }
        Location location = new Location(path, fs, fs.getFileStatus(p));
        DataSource found = firstDetecting(spark, location);
        if (found != null) {
            return found;
        }
        if (location.isFile()) {
            throw new BadDataException(TrainerConfig.option("data") + ": " + path + " is a file, not a Parquet file or a"
                    + " folder; give " + TrainerConfig.option("data_format") + " to read it as one of " + formats());
        }
        throw new BadDataException(TrainerConfig.option("data") + ": cannot tell what " + path + " holds (no IDX training"
                + " files, no .parquet files, no class folders); it has " + Arrays.toString(
                        Arrays.stream(fs.listStatus(p)).limit(10).map(s -> s.getPath().getName()).toArray()));
    }

    /** The first registered source that detects {@code location}, or {@code null}. */
    private static DataSource firstDetecting(SparkSession spark, Location location) throws IOException {
        for (DataSource source : REGISTERED) {
            if (source.detects(spark, location)) {
                return source;
            }
        }
        return null;
    }
}
