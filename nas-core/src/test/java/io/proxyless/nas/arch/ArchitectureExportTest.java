package io.proxyless.nas.arch;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArchitectureExportTest {

    @Test
    void exportRoundTrips() {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        candidates.put("s0", List.of("k3e3", "k5e6"));
        candidates.put("s1", List.of("k3e3", "k7e6", "zero"));
        ArchitectureParameters arch = ArchitectureParameters.initialise(candidates, 1);
        arch.alpha("s0")[1] = 2.0;
        arch.alpha("s1")[2] = 1.0;
        Map<String, List<String>> chosen = ArchitectureExport.parseArchitecture(
                ArchitectureExport.architectureJson(arch), "architecture.json");
        assertEquals(Map.of("s0", List.of("k5e6"), "s1", List.of("zero")), chosen);
        Map<String, Map<String, Double>> probs = ArchitectureExport.parseProbabilities(
                ArchitectureExport.probabilitiesJson(arch), "probs");
        double[] p = arch.probabilities("s1");
        assertEquals(p[1], probs.get("s1").get("k7e6"), 1e-15);
        assertEquals(List.of("k3e3", "k7e6", "zero"), List.copyOf(probs.get("s1").keySet()));
        assertThrows(IllegalArgumentException.class, () -> ArchitectureExport.parseArchitecture("[1]", "x.json"));
    }
}
