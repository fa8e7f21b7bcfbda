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

    @Test
    void aSmallSpaceIsCountedAsByHandAndPricedByCellFromAFile() {
        SearchSpace space = new Tiny();
        LatencyTable flops = FlopsTable.forSpace(space, 1);
        // 1 -> 4 channels, 3x3, on 4x4: 16 outputs x 4 channels x 9 = 576; the classifier 4 -> 3: 12.
        assertEquals((576 + 12) / 1e6, flops.cost(SpaceLatency.FIXED), 1e-15);
        assertEquals(16 * 4 * 4 * 9 / 1e6, flops.cost("cell/k3"), 1e-15);
        assertEquals(16 * 4 * 4 * 25 / 1e6, flops.cost("cell/k5"), 1e-15);
        assertEquals(16 * 4 * 4 / 1e6, flops.cost("cell/depthwise-then-pointwise") - 16 * 4 * 9 / 1e6, 1e-15);
        assertEquals(0, flops.cost("cell/pool"), 0);

        SpaceLatency measured = LatencyTables.read("{\"hardware\": \"board\", \"unit\": \"ms\", \"fixed\": 1.5,"
                + " \"cells\": {\"cell\": {\"k3\": 0.25, \"k5\": 0.5, \"depthwise-then-pointwise\": 0.3,"
                + " \"pool\": 0.1}}}", "board.json", space, null);
        assertEquals(2.0, measured.of(Map.of("cell", List.of("k5")), "a network"), 1e-12);
        String unknown = assertThrows(IllegalArgumentException.class, () -> LatencyTables.read(
                "{\"fixed\": 1, \"cells\": {\"cell\": {\"k7\": 1}}}", "board.json", space, null)).getMessage();
        assertTrue(unknown.contains("board.json: cells.cell.k7: the cell has no such candidate"), unknown);
    }

    /** A conv, a choice of four (two convolutions, a separable one, pooling), average pooling, a linear layer. */
    public static final class Tiny implements SearchSpace {
        @Override
        public ai.djl.nn.Block newSupernet() {
            ai.djl.nn.Block separable = new ai.djl.nn.SequentialBlock().add(new io.proxyless.nas.nn.Conv2dLayer(4, 4, 3, 1, 4))
                    .add(new io.proxyless.nas.nn.Conv2dLayer(4, 4, 1, 1, 1));
            return new ai.djl.nn.SequentialBlock().add(new io.proxyless.nas.nn.Conv2dLayer(1, 4, 3, 1, 1))
                    .add(io.proxyless.nas.choice.LayerChoice.builder().setLabel("cell")
                            .addCandidate("k3", new io.proxyless.nas.nn.Conv2dLayer(4, 4, 3, 1, 1))
                            .addCandidate("k5", new io.proxyless.nas.nn.Conv2dLayer(4, 4, 5, 1, 1))
                            .addCandidate("depthwise-then-pointwise", separable)
                            .addCandidate("pool", ai.djl.nn.pooling.Pool.maxPool2dBlock(new ai.djl.ndarray.types.Shape(3, 3),
                                    new ai.djl.ndarray.types.Shape(1, 1), new ai.djl.ndarray.types.Shape(1, 1)))
                            .build())
                    .add(x -> new ai.djl.ndarray.NDList(io.proxyless.nas.nn.GlobalAvgPool.apply(x.singletonOrThrow())))
                    .add(new io.proxyless.nas.nn.LinearLayer(4, 3));
        }

        @Override
        public int[] inputShape() {
            return new int[] {1, 4, 4};
        }

        @Override
        public int numClasses() {
            return 3;
        }

        @Override
        public SpaceParams params() {
            return SpaceParams.empty();
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
