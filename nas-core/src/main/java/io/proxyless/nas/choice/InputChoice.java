package io.proxyless.nas.choice;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.nn.ChoiceRouting;
import io.proxyless.nas.nn.GateRecorder;
import io.proxyless.nas.nn.InitOnceBlock;
import io.proxyless.nas.nn.StepContext;
import io.proxyless.nas.nn.TorchScalar;
import io.proxyless.nas.onnx.OnnxExportable;
import io.proxyless.nas.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * A labelled choice of {@code k} among {@code n} same-shaped inputs, reduced by sum or mean (NNI's
 * {@code InputChoice}). NNI's ProxylessNAS raises NotImplementedError here; we apply the same
 * binary-gate estimator as for a layer choice, with the inputs as candidates: the output is
 * {@code reduce(sum_j g_j x_j)} with gates 1 on the chosen inputs and 0 on the other gated ones. The
 * inputs are already computed, so every gate gradient is free.
 */
public final class InputChoice extends InitOnceBlock implements Choice, OnnxExportable {

    /** How the chosen inputs combine. */
    public enum Reduction {
        SUM,
        MEAN
    }

    private final String label;
    private final int numCandidates;
    private final int numChosen;
    private final Reduction reduction;

    private InputChoice(Builder builder) {
        if (builder.label == null || builder.label.isBlank()) {
            throw new IllegalArgumentException("InputChoice needs a label");
        }
        if (builder.numCandidates < 1 || builder.numChosen < 1 || builder.numChosen > builder.numCandidates) {
            throw new IllegalArgumentException(
                    "InputChoice '" + builder.label + "': n_chosen " + builder.numChosen
                            + " must be in 1.." + builder.numCandidates);
        }
        label = builder.label;
        numCandidates = builder.numCandidates;
        numChosen = builder.numChosen;
        reduction = builder.reduction;
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
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numCandidates; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    @Override
    public int numChosen() {
        return numChosen;
    }

    @Override
    public boolean isZero(int candidate) {
        return false;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != numCandidates) {
            throw new IllegalArgumentException(
                    "InputChoice '" + label + "' expects " + numCandidates + " inputs, got " + inputs.size());
        }
        StepContext context = StepContext.from(params);
        if (context == null) {
            throw new IllegalStateException("InputChoice '" + label + "' ran without a path");
        }
        ChoiceRouting routing = context.routingFor(label);
        GateRecorder gates = context.gates();
        boolean gated = gates != null && routing.gated().length > 0;
        NDArray sum = null;
        for (int a : routing.active()) {
            NDArray x = inputs.get(a);
            if (gated) {
                x = x.mul(gates.newGate(label, a, x.getManager(), 1f));
            }
            sum = sum == null ? x : sum.add(x);
        }
        if (gated) {
            for (int j : routing.gated()) {
                if (!routing.isActive(j)) {
                    NDArray gate = gates.newGate(label, j, sum.getManager(), 0f);
                    sum = sum.add(inputs.get(j).stopGradient().mul(gate));
                }
            }
        }
        if (reduction == Reduction.MEAN) {
            sum = sum.div(TorchScalar.of(sum.getManager(), routing.active().length));
        }
        return new NDList(sum);
    }

    /** The chosen inputs summed (or averaged), as the forward pass does along a fixed path. */
    @Override
    public List<String> toOnnx(OnnxGraph graph, List<String> inputs) {
        List<String> chosen = graph.chosen(label);
        String sum = OnnxGraph.ZERO;
        for (String name : chosen) {
            sum = graph.add(sum, inputs.get(Integer.parseInt(name)));
        }
        if (reduction == Reduction.MEAN && chosen.size() > 1) {
            sum = graph.node("Mul", List.of(sum, graph.scalar(1f / chosen.size())));
        }
        return List.of(sum);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Builds an {@link InputChoice}. */
    public static final class Builder {
        private String label;
        private int numCandidates;
        private int numChosen = 1;
        private Reduction reduction = Reduction.SUM;

        public Builder setLabel(String label) {
            this.label = label;
            return this;
        }

        public Builder setNumCandidates(int numCandidates) {
            this.numCandidates = numCandidates;
            return this;
        }

        public Builder optNumChosen(int numChosen) {
            this.numChosen = numChosen;
            return this;
        }

        public Builder optReduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        public InputChoice build() {
            return new InputChoice(this);
        }
    }
}
