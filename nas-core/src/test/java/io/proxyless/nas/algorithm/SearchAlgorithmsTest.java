package io.proxyless.nas.algorithm;

import io.proxyless.nas.config.ConfigOptions;
import io.proxyless.nas.config.TrainerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SearchAlgorithmsTest {

    @Test
    void theAlgorithmOptionAllowsExactlyTheRegisteredAlgorithms() {
        assertEquals(SearchAlgorithms.names(), ConfigOptions.ALGORITHMS);
    }

    @Test
    void eachNameBuildsItsAlgorithm() {
        TrainerConfig config = TrainerConfig.builder().build();
        for (String name : SearchAlgorithms.names()) {
            assertEquals(name, SearchAlgorithms.of(config.toBuilder().set("algorithm", name).build(), null).name());
        }
        assertInstanceOf(GradientAlgorithm.class, SearchAlgorithms.of(config, null));
    }

    @Test
    void reinforceScoresOnItsOwnBatchSizeAndAWholeSplitWhenSmaller() {
        TrainerConfig config = TrainerConfig.builder().set("algorithm", "reinforce").set("reinforce_batch_size", 1000).build();
        SearchAlgorithm reinforce = SearchAlgorithms.of(config, null);
        assertEquals(1000, reinforce.architectureBatchSize(64, 10_000, 2));
        assertEquals(600, reinforce.architectureBatchSize(64, 601, 3));
        assertEquals(64, SearchAlgorithms.of(TrainerConfig.builder().build(), null).architectureBatchSize(64, 10_000, 2));
    }
}
