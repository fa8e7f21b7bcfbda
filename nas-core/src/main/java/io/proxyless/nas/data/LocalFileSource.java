package io.proxyless.nas.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link FileSource} over a local folder. */
public final class LocalFileSource implements FileSource {

    private final Path folder;

    public LocalFileSource(Path folder) {
        this.folder = folder;
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(folder.resolve(name));
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(folder.resolve(name));
    }

    @Override
    public long length(String name) throws IOException {
        return Files.size(folder.resolve(name));
    }

    @Override
    public String describe(String name) {
        return folder.resolve(name).toString();
    }
}
