package io.proxyless.nas.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** An {@link OutputFolder} on the local file system. */
public final class LocalOutputFolder implements OutputFolder {

    private final Path folder;

    public LocalOutputFolder(Path folder) {
        this.folder = folder;
    }

    @Override
    public OutputStream create(String name) throws IOException {
        Path file = file(name);
        Files.createDirectories(file.getParent());
        return Files.newOutputStream(file);
    }

    @Override
    public OutputStream createNew(String name) throws IOException {
        Path file = file(name);
        Files.createDirectories(file.getParent());
        return Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE);
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(file(name));
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(file(name));
    }

    @Override
    public long size(String name) throws IOException {
        return Files.size(file(name));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(file(from), file(to), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(file(name));
    }

    @Override
    public List<String> list(String sub) throws IOException {
        Path dir = file(sub);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public String describe(String name) {
        return name.isEmpty() ? folder.toString() : file(name).toString();
    }

    private Path file(String name) {
        return folder.resolve(OutputFolder.inside(name));
    }
}
