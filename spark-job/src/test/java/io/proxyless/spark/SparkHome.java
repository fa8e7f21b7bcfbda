package io.proxyless.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A SPARK_HOME made from Maven's jars, which Spark's local-cluster mode and a standalone Worker
 * need to launch executor JVMs: an empty {@code RELEASE} file and {@code jars/} with the classpath
 * (links), class folders packed as jars. Surefire points {@code SPARK_HOME} at
 * {@code target/spark-home}.
 */
public final class SparkHome {

    private SparkHome() {}

    /** Fills SPARK_HOME from this JVM's classpath and returns it. */
    public static synchronized Path prepare() throws IOException {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("SPARK_HOME is not set (surefire sets it to target/spark-home)");
        }
        Path root = Path.of(home);
        Path jars = root.resolve("jars");
        Files.createDirectories(jars);
        Files.write(root.resolve("RELEASE"), new byte[0]);
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            String name = String.format("%03d-%s", index++, source.getFileName());
            Path target = jars.resolve(Files.isDirectory(source) ? name + ".jar" : name);
            Files.deleteIfExists(target);
            if (Files.isDirectory(source)) {
                packDirectory(source, target);
            } else {
                Files.createSymbolicLink(target, source.toAbsolutePath());
            }
        }
        return root;
    }

    private static void packDirectory(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                zip.putNextEntry(new JarEntry(dir.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }
}
