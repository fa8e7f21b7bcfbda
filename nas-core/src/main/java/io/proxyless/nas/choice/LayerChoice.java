package io.proxyless.nas.choice;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.nn.GateRecorder;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.NoGrad;
import io.proxyless.nas.nn.StepContext;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled choice among named candidate blocks that all map the same input shape to the same
 * output shape (NNI's {@code LayerChoice}). Model authors only declare candidates; the search
 * decides at each forward pass which one runs, through the {@link StepContext}.
 *
 * <p>Forward with gates (architecture step): the active candidate {@code s} runs with autograd and is
 * multiplied by a gate {@code g_s = 1}; every other gated candidate {@code j} runs without autograd
 * and is added as {@code g_j * o_j(x)} with {@code g_j = 0}. The output is exactly {@code o_s(x)}, and
 * autograd then yields {@code dL/dg_j = sum(o_j(x) * dL/dy)} for each gated candidate, while only the
 * active path keeps activations for backward.
 */
public final class LayerChoice extends InitOnceBlock implements Choice, OnnxExportable {

    private final String label;
    private final List<String> names;
    private final List<Block> candidates;

    private LayerChoice(Builder builder) {
        if (builder.label == null || builder.label.isBlank()) {
            throw new IllegalArgumentException("LayerChoice needs a label");
        }
        if (builder.candidates.isEmpty()) {
            throw new IllegalArgumentException("LayerChoice '" + builder.label + "' has no candidates");
        }
        label = builder.label;
        names = List.copyOf(builder.candidates.keySet());
        candidates = new ArrayList<>();
        for (Map.Entry<String, Block> entry : builder.candidates.entrySet()) {
            candidates.add(addChildBlock(entry.getKey(), entry.getValue()));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public List<String> candidateNames() {
        return names;
    }

    @Override
    public int numChosen() {
        return 1;
    }

    @Override
    public boolean isZero(int candidate) {
        return candidates.get(candidate) instanceof ZeroOp;
    }

    /** The candidate block at this index. */
    public Block candidate(int index) {
        return candidates.get(index);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        StepContext context = StepContext.from(params);
        if (context == null) {
            throw new IllegalStateException(
                    "LayerChoice '" + label + "' ran without a path: pass a StepContext in the forward parameters");
        }
        ChoiceRouting routing = context.routingFor(label);
        int active = routing.active()[0];
        NDArray output = candidates.get(active).forward(store, inputs, training, params).singletonOrThrow();
        GateRecorder gates = context.gates();
        if (gates == null || routing.gated().length == 0) {
            return new NDList(output);
        }
        NDManager manager = output.getManager();
        output = output.mul(gates.newGate(label, active, manager, 1f));
        for (int j : routing.gated()) {
            if (j == active || isZero(j)) {
                continue;
            }
            NDArray other;
            // No recorder: a candidate run only for its gate must not touch normalisation statistics.
            StepContext statsFree = new StepContext(Map.of(), null, null);
            try (NoGrad ignored = NoGrad.enter();
                    StepContext.Scope scope = statsFree.enter()) {
                other = candidates.get(j).forward(store, inputs, training, statsFree.asForwardParameters())
                        .singletonOrThrow();
            }
            output = output.add(other.mul(gates.newGate(label, j, manager, 0f)));
        }
        return new NDList(output);
    }

    /** The chosen candidate alone, under its own name; the others are not written. */
    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        String name = graph.chosen(label).get(0);
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("LayerChoice '" + label + "' has no candidate '" + name + "'; it has "
                    + names);
        }
        return graph.child(candidates.get(index), name, inputs);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block candidate : candidates) {
            candidate.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return checkOutputShapes(inputShapes);
    }

    /**
     * The one output shape of every candidate at {@code inputShapes}; where candidates differ, an
     * error names the label, each candidate and its shape.
     */
    public Shape[] checkOutputShapes(Shape[] inputShapes) {
        Shape[] first = candidates.get(0).getOutputShapes(inputShapes);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(names.get(0), first[0]);
        for (int i = 1; i < candidates.size(); i++) {
            shapes.put(names.get(i), candidates.get(i).getOutputShapes(inputShapes)[0]);
        }
        if (shapes.values().stream().distinct().count() > 1) {
            StringBuilder each = new StringBuilder();
            shapes.forEach((name, shape) -> each.append(each.length() == 0 ? "" : ", ").append(name).append(' ')
                    .append(shape));
            throw new IllegalArgumentException("LayerChoice '" + label + "': its candidates give different output"
                    + " shapes for input " + inputShapes[0] + ": " + each);
        }
        return first;
    }

    /** Builds a {@link LayerChoice}. */
    public static final class Builder {
        private String label;
        private final Map<String, Block> candidates = new LinkedHashMap<>();

        public Builder setLabel(String label) {
            this.label = label;
            return this;
        }

        public Builder addCandidate(String name, Block block) {
            if (candidates.putIfAbsent(name, block) != null) {
                throw new IllegalArgumentException("duplicate candidate name '" + name + "'");
            }
            return this;
        }

        public Builder addCandidates(Map<String, Block> blocks) {
            blocks.forEach(this::addCandidate);
            return this;
        }

        public LayerChoice build() {
            return new LayerChoice(this);
        }
    }
}
