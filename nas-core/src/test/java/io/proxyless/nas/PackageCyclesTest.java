package io.proxyless.nas;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nas-core's packages form a graph without cycles (docs/architecture.md), as jdeps reads the classes. */
class PackageCyclesTest {

    @Test
    void nasCorePackagesImportNoCycle() {
        PackageGraph graph = PackageGraph.of(Path.of("target/classes"), "io.proxyless.nas");
        assertTrue(graph.packages().size() > 20, "jdeps saw " + graph.packages());
        assertEquals("", String.join("\n", graph.cycles()));
    }
}
