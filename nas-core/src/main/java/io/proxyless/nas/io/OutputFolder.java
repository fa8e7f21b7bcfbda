package io.proxyless.nas.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where a run writes its outputs. nas-core writes local folders; the Spark job passes one backed by
 * the Hadoop FileSystem API. Names are relative to the folder and may hold one level of
 * sub-folder ({@code checkpoints/step-12.ckpt}).
 */
public interface OutputFolder {

    /** The marker written last, only when everything else is complete. */
    String SUCCESS = "_SUCCESS";

    /** Creates (or replaces) a file; {@code flush()} on the stream makes what was written durable. */
    OutputStream create(String name) throws IOException;

    /**
     * Creates a file that must not exist yet, atomically where the file system can (HDFS, local
     * disks); throws {@link java.nio.file.FileAlreadyExistsException} when it does.
     */
    OutputStream createNew(String name) throws IOException;

    InputStream open(String name) throws IOException;

    boolean exists(String name) throws IOException;

    /** A file's size in bytes: what a reader checks before it reads the file whole. */
    long size(String name) throws IOException;

    /** Renames a file, replacing the target; atomic where the file system's rename is. */
    void rename(String from, String to) throws IOException;

    void delete(String name) throws IOException;

    /** The names of the files in a sub-folder (relative to this folder), sorted; empty if it does not exist. */
    List<String> list(String folder) throws IOException;

    String describe(String name);

    /** Writes a whole file. */
    default void write(String name, byte[] content) throws IOException {
        try (OutputStream out = create(name)) {
            out.write(content);
        }
    }

    /** Writes a whole file under a temporary name, then renames it: readers see all of it or none. */
    default void writeAtomically(String name, byte[] content) throws IOException {
        int slash = name.lastIndexOf('/');
        String temporary = name.substring(0, slash + 1) + "." + name.substring(slash + 1) + ".tmp";
        try {
            write(temporary, content);
        } catch (IOException | RuntimeException | Error e) {
            // A full disk or a failed write leaves no partial file behind.
            try {
                delete(temporary);
            } catch (IOException | RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
        rename(temporary, name);
    }

    /** Refuses a name that could leave the folder: absolute, or with a {@code ..} or empty part. */
    static String inside(String name) {
        if (name.startsWith("/") || name.contains("\\") || java.util.Arrays.stream(name.split("/", -1))
                .anyMatch(part -> part.isEmpty() || part.equals("..") || part.equals("."))) {
            throw new IllegalArgumentException("'" + name + "' is not a name inside the output folder");
        }
        return name;
    }

    default byte[] read(String name) throws IOException {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }
}
