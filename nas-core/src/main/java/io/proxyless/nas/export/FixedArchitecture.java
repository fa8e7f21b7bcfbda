package io.proxyless.nas.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.Choices;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.StepContext;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model pinned to one architecture ({@code architecture.json}): every choice runs its chosen
 * candidate. The child network, for inference and for measuring its latency.
 */
public final class FixedArchitecture extends InitOnceBlock {

    private final Block model;
    private final StepContext context;

    /**
     * @param architecture label to the chosen candidate names ({@link ArchitectureExport#parseArchitecture});
     *     errors name an unknown label or candidate, or a count the choice does not pick
     */
    public FixedArchitecture(Block model, Map<String, List<String>> architecture) {
        this.model = addChildBlock("model", model);
        Map<String, Choice> choices = Choices.find(model);
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        for (Map.Entry<String, Choice> e : choices.entrySet()) {
            Choice choice = e.getValue();
            List<String> chosen = architecture.get(e.getKey());
            if (chosen == null) {
                throw new IllegalArgumentException("architecture has no choice for '" + e.getKey() + "'");
            }
            if (chosen.size() != choice.numChosen() || new HashSet<>(chosen).size() != chosen.size()) {
                throw new IllegalArgumentException("'" + e.getKey() + "' picks " + choice.numChosen()
                        + " distinct candidate(s), the architecture names " + chosen);
            }
            int[] indices = new int[chosen.size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = choice.candidateNames().indexOf(chosen.get(i));
                if (indices[i] < 0) {
                    throw new IllegalArgumentException("'" + e.getKey() + "' has no candidate '" + chosen.get(i)
                            + "'; candidates: " + choice.candidateNames());
                }
            }
            routing.put(e.getKey(), new ChoiceRouting(indices, new int[0]));
        }
        for (String label : architecture.keySet()) {
            if (!choices.containsKey(label)) {
                throw new IllegalArgumentException("architecture names '" + label + "', which the model does not have");
            }
        }
        context = new StepContext(routing, null, null);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        try (StepContext.Scope scope = context.enter()) {
            return model.forward(store, inputs, training, context.asForwardParameters());
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return model.getOutputShapes(inputShapes);
    }
}
