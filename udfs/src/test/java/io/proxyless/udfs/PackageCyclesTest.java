package io.proxyless.udfs;

import io.proxyless.nas.PackageGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** udfs's packages form a graph without cycles (docs/architecture.md), as jdeps reads the classes. */
class PackageCyclesTest {

    @Test
    void udfsPackagesImportNoCycle() {
        PackageGraph graph = PackageGraph.of(Path.of("target/classes"), "io.proxyless.udfs");
        assertTrue(graph.packages().size() > 2, "jdeps saw " + graph.packages());
        assertEquals("", String.join("\n", graph.cycles()));
    }
}
