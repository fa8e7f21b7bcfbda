package io.proxyless.nas.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens files of a dataset folder by name. nas-core reads local paths; the Spark job passes one
 * backed by the Hadoop FileSystem API, so {@code hdfs://} and {@code s3a://} work the same.
 */
public interface FileSource {

    boolean exists(String name) throws IOException;

    InputStream open(String name) throws IOException;

    /** A file's size in bytes: what the sizes its header declares are checked against. */
    long length(String name) throws IOException;

    /** The full name of a file of the source, or of the source itself for {@code ""}. */
    String describe(String name);
}
