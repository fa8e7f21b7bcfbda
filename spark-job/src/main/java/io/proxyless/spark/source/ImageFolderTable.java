package io.proxyless.spark.source;

import io.proxyless.nas.data.BadDataException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.split;

/**
 * An image folder in the ImageFolder/ImageNet layout, {@code root/<class>/<file>}, read by Spark's
 * {@code binaryFile} source: the class is the file's folder, the image its bytes. Files that Hadoop
 * counts as hidden ({@code .x}, {@code _x}) are left out, as Spark leaves them out.
 */
final class ImageFolderTable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderTable.class);

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

    /**
     * The images of {@code folder}, after one listing of it on the driver has checked its layout: every
     * visible file is one folder below the root and holds at least one byte, and every class folder
     * holds an image (as torchvision's ImageFolder requires), unless {@code allowEmptyClasses}.
     */
    static Dataset<Row> read(SparkSession spark, String folder, boolean allowEmptyClasses) throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        String qualified = fs.makeQualified(root).toString().replaceAll("/+$", "");
        checkLayout(fs, fs.makeQualified(root), allowEmptyClasses);
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(qualified);
        return files.select(col("path").as(DataSources.ORIGIN),
                element_at(split(col("path"), "/"), -2).as("label"),
                col("content").as("image"));
    }

    private static void checkLayout(FileSystem fs, Path root, boolean allowEmptyClasses) throws IOException {
        Map<String, Long> imagesPerClass = new TreeMap<>();
        for (FileStatus child : fs.listStatus(root)) {
            if (child.isDirectory() && !hidden(child.getPath().getName())) {
                imagesPerClass.put(child.getPath().getName(), 0L);
            }
        }
        int rootDepth = root.depth();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            Path path = file.getPath();
            if (hiddenBelow(path, rootDepth)) {
                continue;
            }
            if (path.depth() != rootDepth + 2) {
                throw new BadDataException(path + ": an image folder holds root/<class>/<file>, but this file is not one"
                        + " folder below " + root);
            }
            if (file.getLen() == 0) {
                throw new BadDataException(path + ": the image file is empty (0 bytes)");
            }
            imagesPerClass.merge(path.getParent().getName(), 1L, Long::sum);
        }
        List<String> empty = imagesPerClass.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                .toList();
        if (!empty.isEmpty() && !allowEmptyClasses) {
            throw new BadDataException(new Path(root, empty.get(0)) + ": the class folder holds no image"
                    + (empty.size() > 1 ? " (nor do " + (empty.size() - 1) + " more: " + empty.subList(1,
                            Math.min(empty.size(), 6)) + ")" : "")
                    + "; add images, remove the folder, or set dataset.allow_empty_classes to leave such classes out");
        }
        if (!empty.isEmpty()) {
            LOG.warn("{}: leaving out {} class folder(s) without images (dataset.allow_empty_classes): {}", root,
                    empty.size(), empty);
        }
    }

    /** Whether a name is one Spark's file listing leaves out. */
    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    /** Whether any part of {@code path} below the root is hidden, as Spark leaves those out. */
    private static boolean hiddenBelow(Path path, int rootDepth) {
        for (Path p = path; p != null && p.depth() > rootDepth; p = p.getParent()) {
            if (hidden(p.getName())) {
                return true;
            }
        }
        return false;
    }
}
