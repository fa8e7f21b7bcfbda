package io.proxyless.nas.latency;

import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceParams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code flops} counter that walks any model's blocks, against the built-in family's table
 * computed from its layer shapes: equal for every candidate of every cell of the three presets.
 */
class GenericFlopsTest {

    @Test
    void walkingTheBlocksGivesTheShapeTableOfEveryPreset() {
        for (String preset : List.of("fashion-mnist", "cifar10", "imagenet")) {
            MobileNetSpace space = MobileNetSpace.preset(preset);
            SpaceLatency byShape = SpaceLatency.of(space.layout(), FlopsTable.forSpace(space, 2));
            SpaceLatency walked = SpaceLatency.of(new AsAnySpace(space), FlopsTable.byCell(new AsAnySpace(space), 2));
            assertEquals(byShape.cells().keySet(), walked.cells().keySet(), preset);
            int candidates = 0;
            for (Map.Entry<String, double[]> cell : byShape.cells().entrySet()) {
                double[] walkedCosts = walked.costs(cell.getKey());
                for (int i = 0; i < walkedCosts.length; i++) {
                    assertEquals(cell.getValue()[i], walkedCosts[i], 0.0, preset + " " + cell.getKey() + " candidate " + i);
                    candidates++;
                }
            }
            assertEquals(byShape.fixed(), walked.fixed(), 1e-9 * byShape.fixed(), preset + " fixed part");
            assertTrue(candidates >= 6 * 6, preset + ": " + candidates);
        }
    }

    @Test
    void aBlockWithParametersTheCounterDoesNotKnowIsNamedNotPricedAtZero() {
        ai.djl.nn.Block odd = new ai.djl.nn.core.Prelu();
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            odd.setInitializer(new ai.djl.training.initializer.ConstantInitializer(0.25f), parameter -> true);
            odd.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 4));
            String message = assertThrows(IllegalArgumentException.class, () -> MacCounter.count(odd, "body/odd"))
                    .getMessage();
            assertTrue(message.contains("cannot count the multiply-accumulates of block body/odd (ai.djl.nn.core.Prelu)")
                    && message.contains("MacCountable"), message);
        }
    }

    /** The built-in space seen as any other: its table is then counted by walking, not from shapes. */
    private record AsAnySpace(MobileNetSpace space) implements SearchSpace {
        @Override
        public ai.djl.nn.Block newSupernet() {
            return space.newSupernet();
        }

        @Override
        public int[] inputShape() {
            return space.inputShape();
        }

        @Override
        public int numClasses() {
            return space.numClasses();
        }

        @Override
        public SpaceParams params() {
            return space.params();
        }
    }
}
