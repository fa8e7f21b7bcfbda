package io.proxyless.nas.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An {@link OutputFolder} on the local file system. */
public final class LocalOutputFolder implements OutputFolder {

    private final Path folder;

    public LocalOutputFolder(Path folder) {
        this.folder = folder;
    }

    @Override
    public OutputStream create(String name) throws IOException {
        Files.createDirectories(folder);
        return Files.newOutputStream(folder.resolve(name));
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(folder.resolve(name));
    }

    @Override
    public String describe(String name) {
        return folder.resolve(name).toString();
    }
}
