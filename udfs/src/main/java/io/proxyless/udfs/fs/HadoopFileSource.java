package io.proxyless.udfs.fs;

import io.proxyless.nas.data.FileSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;

/** A dataset folder read through the Hadoop FileSystem API: {@code file://}, {@code hdfs://}, {@code s3a://}. */
public final class HadoopFileSource implements FileSource {

    private final Path folder;
    private final FileSystem fs;

    public HadoopFileSource(String folder, Configuration conf) throws IOException {
        this.folder = new Path(folder);
        this.fs = this.folder.getFileSystem(conf);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.isFile(new Path(folder, name));
    }

    @Override
    public InputStream open(String name) throws IOException {
        return fs.open(new Path(folder, name));
    }

    @Override
    public long length(String name) throws IOException {
        return fs.getFileStatus(new Path(folder, name)).getLen();
    }

    @Override
    public String describe(String name) {
        return fs.makeQualified(name.isEmpty() ? folder : new Path(folder, name)).toString();
    }
}
