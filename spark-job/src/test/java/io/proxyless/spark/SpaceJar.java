package io.proxyless.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The example space a user copies ({@code examples/custom-space}), compiled from its source by the
 * test into a jar of its own: its class is on no class path of the test, so only {@code --jars}
 * can provide it.
 */
public final class SpaceJar {

    public static final String SPACE = "com.example.nas.SkipCellSpace";
    public static final Path EXAMPLE = Path.of("..", "examples", "custom-space");

    private SpaceJar() {}

    /** Compiles the example against this JVM's class path and jars it as {@code dir/space.jar}. */
    public static Path build(Path dir) throws IOException {
        Path source = EXAMPLE.resolve("src/main/java/com/example/nas/SkipCellSpace.java");
        Path classes = Files.createDirectories(dir.resolve("space-classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = compiler.run(null, null, errors, "--release", "17", "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), source.toString());
        assertEquals(0, code, "the example space does not compile:\n" + errors);
        Path jar = dir.resolve("space.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                entries.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                entries.write(Files.readAllBytes(file));
                entries.closeEntry();
            }
        }
        return jar;
    }

    /** {@code -Dkey=value} for each setting: how a new JVM's {@code SparkConf} gets them. */
    public static List<String> systemProperties(org.apache.spark.SparkConf conf) {
        return java.util.Arrays.stream(conf.getAll()).filter(kv -> !kv._1().equals("spark.master"))
                .map(kv -> "-D" + kv._1() + "=" + kv._2()).toList();
    }
}
