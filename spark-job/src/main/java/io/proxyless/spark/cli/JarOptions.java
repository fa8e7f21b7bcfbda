package io.proxyless.spark.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --jars}: jars that hold a space of one's own, put on this JVM's class loader and shipped to
 * Spark's executors, as {@code spark-submit --jars} does; shared by every command that builds a space.
 */
public final class JarOptions {

    @Option(names = "--jars", split = ",", paramLabel = "JAR", description = "Jars holding your own --space class (any"
            + " Hadoop path), loaded here and shipped to the executors, as spark-submit --jars")
    List<String> jars = new ArrayList<>();

    /**
     * Makes the jars' classes visible to this thread (its context class loader, which spaces are built
     * from); a jar that does not exist is bad input naming it. Returns the jars as Spark ships them.
     */
    List<String> load(Configuration hadoop) throws IOException {
        List<String> qualified = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        for (String jar : jars) {
            Path path = new Path(jar);
            FileSystem fs = path.getFileSystem(hadoop);
            path = fs.makeQualified(path);
            if (!fs.isFile(path)) {
                throw new IllegalArgumentException("--jars: " + jar + " is not a file");
            }
            qualified.add(path.toUri().toString());
            if (path.toUri().getScheme().equals("file")) {
                urls.add(path.toUri().toURL());
            } else {
                java.nio.file.Path local = Files.createTempFile("proxyless-space-", ".jar");
                local.toFile().deleteOnExit();
                fs.copyToLocalFile(path, new Path(local.toUri()));
                urls.add(local.toUri().toURL());
            }
        }
        if (!urls.isEmpty()) {
            Thread thread = Thread.currentThread();
            thread.setContextClassLoader(new URLClassLoader(urls.toArray(URL[]::new), thread.getContextClassLoader()));
        }
        return qualified;
    }
}
