package io.proxyless.spark.fs;

import io.proxyless.nas.io.OutputFolder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/** An output folder written through the Hadoop FileSystem API. */
public final class HadoopOutputFolder implements OutputFolder {

    private final Path folder;
    private final FileSystem fs;

    public HadoopOutputFolder(String folder, Configuration conf) throws IOException {
        this.folder = new Path(folder);
        FileSystem resolved = this.folder.getFileSystem(conf);
        // The checksummed local file system holds back a partial 512-byte checksum chunk even on
        // hflush(), so a killed run lost its last metrics; the raw one writes through. Checkpoints
        // carry their own checksum.
        this.fs = resolved instanceof LocalFileSystem local ? local.getRawFileSystem() : resolved;
    }

    /** {@code flush()} is {@code hflush()}: what was written survives the writer's process, as metrics must. */
    @Override
    public OutputStream create(String name) throws IOException {
        FSDataOutputStream stream = fs.create(file(name), true);
        return new FilterOutputStream(stream) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stream.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                stream.hflush();
            }
        };
    }

    @Override
    public OutputStream createNew(String name) throws IOException {
        Path file = file(name);
        if (fs instanceof RawLocalFileSystem) {
            // Hadoop's local create checks, then opens: O_EXCL is what makes it atomic.
            java.nio.file.Path local = java.nio.file.Paths.get(fs.makeQualified(file).toUri());
            java.nio.file.Files.createDirectories(local.getParent());
            return java.nio.file.Files.newOutputStream(local, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        }
        try {
            return fs.create(file, false);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw new java.nio.file.FileAlreadyExistsException(describe(name));
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        return fs.open(file(name));
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.exists(file(name));
    }

    @Override
    public long size(String name) throws IOException {
        return fs.getFileStatus(file(name)).getLen();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Path target = file(to);
        // Hadoop's rename does not replace; delete first (a reader then sees the new file or none).
        fs.delete(target, false);
        if (!fs.rename(file(from), target)) {
            throw new IOException("could not rename " + describe(from) + " to " + describe(to));
        }
    }

    @Override
    public void delete(String name) throws IOException {
        fs.delete(file(name), false);
    }

    @Override
    public List<String> list(String sub) throws IOException {
        Path dir = file(sub);
        if (!fs.exists(dir)) {
            return List.of();
        }
        return Arrays.stream(fs.listStatus(dir)).filter(FileStatus::isFile).map(s -> s.getPath().getName()).sorted()
                .toList();
    }

    @Override
    public String describe(String name) {
        Path path = name.isEmpty() ? folder : file(name);
        return fs.makeQualified(path).toString();
    }

    private Path file(String name) {
        return new Path(folder, OutputFolder.inside(name));
    }
}
