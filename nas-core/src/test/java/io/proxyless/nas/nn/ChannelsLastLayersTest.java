package io.proxyless.nas.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kind of layer the spaces use ({@link LayerSet}) computes the same output and gradients
 * channels-last as NCHW, to float rounding. Runs in the layout this process trains in: Maven caps
 * oneDNN at AVX2 as the launchers do, so that is channels-last wherever the probe agrees.
 */
class ChannelsLastLayersTest {

    @Test
    void everyLayerKindAgreesWithNchw() {
        assumeTrue(MemoryFormat.forThisProcess() == MemoryFormat.CHANNELS_LAST, "this process trains in NCHW");
        List<String> failures = LayerSet.differing();
        assertTrue(failures.isEmpty(), LayerSet.everyKind().size() + " layers, channels-last differs from NCHW"
                + " (relative to the largest value) in: " + failures);
    }
}
