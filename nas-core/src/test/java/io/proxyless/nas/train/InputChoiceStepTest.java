package io.proxyless.nas.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.proxyless.nas.algorithm.SearchAlgorithms;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.arch.ArchitectureParameters;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.choice.InputChoice;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.export.FixedArchitecture;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.step.executor.PathStepWorker;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model whose three branches (plain DJL layers, so shared parameters, named
 * {@code ParallelBlock.01Linear} to {@code 03Linear}) feed an {@code InputChoice}, searched and exported.
 */
class InputChoiceStepTest {

    private static final int FEATURES = 4;

    /** Three branches, the input choice (labelled "in"), a classifier of 3 classes. */
    private static SequentialBlock model(int numChosen) {
        ParallelBlock branches = new ParallelBlock(outputs -> {
            NDList all = new NDList();
            outputs.forEach(all::addAll);
            return all;
        }, List.of(Linear.builder().setUnits(6).build(), Linear.builder().setUnits(6).build(),
                Linear.builder().setUnits(6).build()));
        return new SequentialBlock()
                .add(branches)
                .add(InputChoice.builder().setLabel("in").setNumCandidates(3).optNumChosen(numChosen).build())
                .add(Linear.builder().setUnits(3).build());
    }

    private static float[] inputs(int n) {
        float[] x = new float[n * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(1.7 * i + 0.3);
        }
        return x;
    }

    private static SampledPath choosing(int... active) {
        return new SampledPath(Map.of("in", new ChoiceRouting(active, new int[0])));
    }

    /**
     * Only the chosen branch fed the loss; the other two ran forward but got no gradient, so, as in
     * PyTorch, they get no weight decay and no momentum.
     */
    @Test
    void unchosenBranchesGetNoUpdate() {
        TrainerConfig config = TrainerConfig.builder().build();
        try (Supernet supernet = new Supernet(model(1), FEATURES)) {
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            Map<String, float[]> before = new HashMap<>();
            master.allValues().forEach((k, v) -> before.put(k, v.clone()));
            SampledPath path = choosing(0);
            PathStepWorker worker = new PathStepWorker(supernet);
            int[] labels = {0, 1, 2, 1};
            supernet.load(master.weightsFor(path, StepKind.WEIGHT));
            StepResult result = worker.compute(new StepRequest(StepKind.WEIGHT, path, labels.length, 0f, 1L),
                    inputs(labels.length), labels);
            master.applyWeightStep(result, 0.1f);
            List<String> names = List.copyOf(master.allValues().keySet());
            int branchParameters = 0;
            for (String name : names) {
                boolean changed = !java.util.Arrays.equals(before.get(name), master.allValues().get(name));
                if (name.startsWith("ParallelBlock.02Linear.") || name.startsWith("ParallelBlock.03Linear.")) {
                    branchParameters++;
                    assertFalse(changed, name + " fed an unchosen input but changed");
                    assertNull(master.sgd().momentumBuffer(name), name + " got momentum");
                } else {
                    assertTrue(changed, name + " is on the path but did not change");
                    assertNotNull(master.sgd().momentumBuffer(name), name);
                }
            }
            assertEquals(4, branchParameters, "weight and bias of branches 1 and 2 in " + names);
        }
    }

    /**
     * With n_chosen = 2 the supernet sums two inputs; the export keeps the two most probable and the
     * fixed network sums exactly those.
     */
    @Test
    void anInputChoiceOfTwoExportsTheTopTwoAndTheFixedNetworkSumsThem() {
        Map<String, List<String>> candidates = Map.of("in", List.of("0", "1", "2"));
        ArchitectureParameters arch = ArchitectureParameters.initialise(candidates, Map.of("in", 2), 3);
        double[] alpha = arch.alpha("in");
        alpha[0] = 0.9;
        alpha[1] = -0.4;
        alpha[2] = 0.3;
        String json = ArchitectureExport.architectureJson(arch);
        assertTrue(json.replaceAll("\\s", "").contains("\"in\":[\"0\",\"2\"]"), json);
        Map<String, List<String>> parsed = ArchitectureExport.parseArchitecture(json, "architecture.json");
        assertEquals(List.of("0", "2"), parsed.get("in"));

        SequentialBlock model = model(2);
        FixedArchitecture fixed = new FixedArchitecture(model, parsed);
        try (NDManager manager = NDManager.newBaseManager()) {
            fixed.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, FEATURES));
            NDArray x = manager.create(inputs(2), new Shape(2, FEATURES));
            ParameterStore store = new ParameterStore(manager, false);
            float[] output = fixed.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            List<Block> branches = model.getChildren().get(0).getValue().getChildren().values();
            NDArray sum = branches.get(0).forward(store, new NDList(x), false).singletonOrThrow()
                    .add(branches.get(2).forward(store, new NDList(x), false).singletonOrThrow());
            float[] expected = model.getChildren().get(2).getValue().forward(store, new NDList(sum), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(expected, output, 1e-6f);
        }
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new FixedArchitecture(model(2), Map.of("in", List.of("1"))));
        assertTrue(one.getMessage().contains("picks 2"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FixedArchitecture(model(2), Map.of("in", List.of("1", "1"))));
        assertThrows(IllegalArgumentException.class, () -> new FixedArchitecture(model(2), Map.of("in", List.of("1", "7"))));
    }

    /** REINFORCE samples one candidate per choice: a choice of two inputs is refused before any step. */
    @Test
    void reinforceRefusesAnInputChoiceOfTwoBeforeAnyStep() {
        TrainerConfig config = TrainerConfig.builder().build();
        try (Supernet supernet = new Supernet(model(2), FEATURES)) {
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            StepExecutor never = new StepExecutor() {
                @Override
                public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split,
                        ShardedBatch batch) {
                    throw new AssertionError("no step may run");
                }

                @Override
                public int shards() {
                    return 1;
                }
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SearchLoop(config, master,
                    never, SearchAlgorithms.of(config.toBuilder().set("algorithm", "reinforce").set("reinforce_samples", 2).build(), null), java.util.List.of(new io.proxyless.nas.listener.DivergenceCheck()), 64, 64));
            assertTrue(e.getMessage().contains("'in' picks 2 (n_chosen)"), e.getMessage());
        }
    }
}
