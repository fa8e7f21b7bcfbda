package io.proxyless.spark.source;

import io.proxyless.nas.data.BadDataException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.split;

/**
 * An image folder in the ImageFolder/ImageNet layout, {@code root/<class>/<file>}, read by Spark's
 * {@code binaryFile} source: the class is the file's folder, the image its bytes. Files that Hadoop
 * counts as hidden ({@code .x}, {@code _x}) are left out, as Spark leaves them out.
 */
final class ImageFolderTable {

    private ImageFolderTable() {}

    /** A folder whose visible entries are all folders. */
    static boolean looksLikeImageFolder(FileSystem fs, Path root) throws IOException {
        boolean any = false;
        for (FileStatus child : fs.listStatus(root)) {
            String name = child.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (!child.isDirectory() || name.contains("=")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    static Dataset<Row> read(SparkSession spark, String folder) throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        String qualified = fs.makeQualified(root).toString().replaceAll("/+$", "");
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(qualified);
        // Paths only: binaryFile reads no content for this.
        Row misplaced = files.select("path")
                .filter(not(col("path").rlike("^" + Pattern.quote(qualified) + "/[^/]+/[^/]+$")))
                .limit(1).collectAsList().stream().findFirst().orElse(null);
        if (misplaced != null) {
            throw new BadDataException(misplaced.getString(0) + ": an image folder holds root/<class>/<file>, but this"
                    + " file is not one folder below " + qualified);
        }
        return files.select(col("path").as(DataSources.ORIGIN),
                element_at(split(col("path"), "/"), -2).as("label"),
                col("content").as("image"));
    }
}
