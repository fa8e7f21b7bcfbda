package io.proxyless.nas.train;

import io.proxyless.nas.TestData;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.executor.PathStepWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests on the small space of {@link TestData#smallSearch}: one supernet and worker per test class. */
abstract class SmallSupernetTest {

    static TrainerConfig config;
    static Supernet supernet;
    static PathStepWorker worker;

    @BeforeAll
    static void build() {
        config = TestData.smallSearch(0, 1);
        supernet = Supernet.of(config.model());
        worker = new PathStepWorker(supernet);
    }

    @AfterAll
    static void close() {
        supernet.close();
    }
}
