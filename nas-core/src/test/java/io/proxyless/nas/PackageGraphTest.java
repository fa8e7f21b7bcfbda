package io.proxyless.nas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cycle check finds a cycle that compiled classes really have, and names its imports. */
class PackageGraphTest {

    @Test
    void findsTheCycleOfTwoPackagesThatImportEachOther(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("p/a/A.java"), "package p.a; public class A { p.b.B b; }");
        write(src.resolve("p/b/B.java"), "package p.b; public class B { p.a.A a; }");
        write(src.resolve("p/c/C.java"), "package p.c; public class C { p.a.A a; }");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.resolve("p/a/A.java").toString(), src.resolve("p/b/B.java").toString(),
                src.resolve("p/c/C.java").toString());
        assertEquals(0, status);

        PackageGraph graph = PackageGraph.of(classes, "p.");
        List<String> cycles = graph.cycles();
        assertEquals(1, cycles.size(), String.valueOf(cycles));
        assertTrue(cycles.get(0).contains("p.a -> p.b") && cycles.get(0).contains("p.b -> p.a")
                && !cycles.get(0).contains("p.c"), cycles.get(0));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
