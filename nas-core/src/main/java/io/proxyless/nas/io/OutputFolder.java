package io.proxyless.nas.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a run writes its outputs. nas-core writes local folders; the Spark job passes one backed by
 * the Hadoop FileSystem API.
 */
public interface OutputFolder {

    /** The marker written last, only when everything else is complete. */
    String SUCCESS = "_SUCCESS";

    OutputStream create(String name) throws IOException;

    boolean exists(String name) throws IOException;

    String describe(String name);

    /** Writes a whole file. */
    default void write(String name, byte[] content) throws IOException {
        try (OutputStream out = create(name)) {
            out.write(content);
        }
    }
}
