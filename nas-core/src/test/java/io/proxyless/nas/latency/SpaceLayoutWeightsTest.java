package io.proxyless.nas.latency;

import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layout's count of a supernet's values, known before building it, is what building it allocates. */
class SpaceLayoutWeightsTest {

    @Test
    void theLayoutCountsEveryValueOfEachPresetsSupernet() {
        for (String preset : new String[] {"fashion-mnist", "cifar10", "imagenet"}) {
            MobileNetSpace space = MobileNetSpace.preset(preset);
            long built;
            try (Supernet supernet = Supernet.of(space)) {
                built = supernet.parameterInfos().stream()
                        .mapToLong(p -> Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b)).sum();
            }
            assertEquals(built, new SpaceLayout(space).supernetWeights(), preset);
        }
    }
}
