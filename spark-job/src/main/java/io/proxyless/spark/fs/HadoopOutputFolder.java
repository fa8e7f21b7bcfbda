package io.proxyless.spark.fs;

import io.proxyless.nas.io.OutputFolder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;

/** An output folder written through the Hadoop FileSystem API. */
public final class HadoopOutputFolder implements OutputFolder {

    private final Path folder;
    private final FileSystem fs;

    public HadoopOutputFolder(String folder, Configuration conf) throws IOException {
        this.folder = new Path(folder);
        this.fs = this.folder.getFileSystem(conf);
    }

    @Override
    public OutputStream create(String name) throws IOException {
        return fs.create(new Path(folder, name), true);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.exists(new Path(folder, name));
    }

    @Override
    public String describe(String name) {
        Path path = name.isEmpty() ? folder : new Path(folder, name);
        return fs.makeQualified(path).toString();
    }
}
