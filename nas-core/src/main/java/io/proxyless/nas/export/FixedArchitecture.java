package io.proxyless.nas.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.choice.Choices;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.StepContext;

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
     *     errors name an unknown label or candidate, or a count the choice does not pick ({@link ChildArchitecture#of})
     */
    public FixedArchitecture(Block model, Map<String, List<String>> architecture) {
        this.model = addChildBlock("model", model);
        ChildArchitecture child = ChildArchitecture.of(Choices.find(model), architecture, "architecture");
        context = new StepContext(child.path().forWeightStep(), null, null);
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
