package io.proxyless.nas.mobilenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.choice.ZeroOp;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.nn.StepContext;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {

    private static final List<String> OPS = List.of("k3e3", "k3e6", "k5e3", "k5e6", "k7e3", "k7e6");

    @Test
    void everyCandidateGivesTheShapeItsCellPromises() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int stride : new int[] {1, 2}) {
                for (int[] channels : new int[][] {{16, 24}, {24, 24}}) {
                    Shape input = new Shape(2, channels[0], 14, 14);
                    Shape promised = new Shape(2, channels[1], 14 / stride, 14 / stride);
                    for (String name : OPS) {
                        CandidateOp op = CandidateOp.parse(name, "test");
                        MbConv block = new MbConv(channels[0], channels[1], op.kernel(), stride, op.expand(),
                                NormConfig.defaults());
                        block.initialize(manager, DataType.FLOAT32, input);
                        NDArray out = block.forward(new ParameterStore(manager, false),
                                new NDList(manager.randomNormal(input)), true, null).singletonOrThrow();
                        assertEquals(promised, out.getShape(), name + " stride " + stride);
                        assertEquals(promised, block.getOutputShapes(new Shape[] {input})[0], name);
                    }
                }
            }
            ZeroOp zero = new ZeroOp();
            Shape same = new Shape(2, 24, 7, 7);
            NDArray out = zero.forward(new ParameterStore(manager, false), new NDList(manager.ones(same)), true, null)
                    .singletonOrThrow();
            assertEquals(same, out.getShape());
            assertEquals(0f, out.abs().sum().getFloat());
        }
    }

    @Test
    void defaultSpaceHasSixLabelledCellsWithZeroWhereShapesMatch() {
        try (Supernet supernet = Supernet.of(MobileNetSpace.fashionMnist())) {
            Map<String, Choice> choices = supernet.choices();
            assertEquals(List.of("s0", "s1", "s2", "s3", "s4", "s5"), List.copyOf(choices.keySet()));
            // First cell of each stage changes shape (6 candidates); the others add zero (7).
            int[] expected = {6, 7, 6, 7, 6, 7};
            int i = 0;
            for (Choice choice : choices.values()) {
                assertEquals(expected[i++], choice.numCandidates(), choice.label());
            }
            assertTrue(choices.get("s1").candidateNames().contains("zero"));
        }
    }

    @Test
    void everyCandidateIndexRunsThroughTheWholeSupernet() {
        for (MobileNetSpace config : new MobileNetSpace[] {MobileNetSpace.fashionMnist(), MobileNetSpace.cifar10()}) {
            int[] in = config.inputShape();
            try (Supernet supernet = Supernet.of(config);
                    NDManager manager = NDManager.newBaseManager()) {
                for (int index = 0; index < 7; index++) {
                    Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
                    for (Choice choice : supernet.choices().values()) {
                        routing.put(choice.label(), ChoiceRouting.only(Math.min(index, choice.numCandidates() - 1)));
                    }
                    NDArray logits = supernet.block().forward(new ParameterStore(manager, false),
                            new NDList(manager.randomNormal(new Shape(2, in[0], in[1], in[2]))), true,
                            new StepContext(routing, null, null).asForwardParameters()).singletonOrThrow();
                    assertEquals(new Shape(2, config.numClasses()), logits.getShape());
                }
            }
        }
    }

    @Test
    void badSpaceConfigurationsNameTheOption() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> MobileNetSpace.builder().optCandidateOps(List.of("k3e3", "k4x")).build());
        assertTrue(unknown.getMessage().contains("candidate_ops") && unknown.getMessage().contains("'k4x'"),
                unknown.getMessage());
        IllegalArgumentException stages = assertThrows(IllegalArgumentException.class,
                () -> MobileNetSpace.builder().optStages(new int[] {8}, new int[] {1, 1}, new int[] {1}).build());
        assertTrue(stages.getMessage().contains("width_stages"), stages.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> LayerChoice.builder().setLabel("x").addCandidate("a", new ZeroOp()).addCandidate("a", new ZeroOp()));
        assertTrue(dup.getMessage().contains("'a'"));
    }
}
