package io.proxyless.spark.source;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@code dataset.path} names, as detection sees it: the text, and for a path that exists its
 * file system and status ({@code null} for a name that is not a path, such as a catalog table).
 */
public record Location(String text, FileSystem fs, FileStatus status) {

    /** Whether the text reads as a path rather than a table name. */
    public boolean pathLike() {
        return text.contains("/") || text.contains(":");
    }

    public boolean isFile() {
        return status != null && status.isFile();
    }

    public boolean isFolder() {
        return status != null && status.isDirectory();
    }

    public Path path() {
        return status.getPath();
    }
}
