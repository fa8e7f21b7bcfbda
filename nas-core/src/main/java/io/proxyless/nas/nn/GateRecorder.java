package io.proxyless.nas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the binary-gate arrays created during a forward pass, so that after backward the gate
 * gradient {@code dL/dg_j = sum(o_j(x) * dL/dy)} of every gated candidate can be read.
 *
 * <p>A label may be used by several choice blocks (shared decisions, as in NNI); their gate
 * gradients add up.
 */
public final class GateRecorder {

    private final Map<String, List<Gate>> gates = new LinkedHashMap<>();

    private record Gate(int candidate, NDArray array) {}

    /**
     * Creates a scalar gate that autograd differentiates, and records it.
     *
     * @param value 1 for an active candidate, 0 for one that only needs its gate gradient
     */
    public NDArray newGate(String label, int candidate, NDManager manager, float value) {
        NDArray gate = TorchScalar.of(manager, value);
        gate.setRequiresGradient(true);
        gates.computeIfAbsent(label, k -> new ArrayList<>()).add(new Gate(candidate, gate));
        return gate;
    }

    /** Whether any gate was created: a step whose every cell ran without gates has nothing to differentiate. */
    public boolean hasGates() {
        return !gates.isEmpty();
    }

    /**
     * Reads the gate gradients after backward.
     *
     * @param label the choice label
     * @param numCandidates the number of candidates of that choice
     * @return one value per candidate; candidates that were not gated get 0
     */
    public double[] gradients(String label, int numCandidates) {
        double[] grads = new double[numCandidates];
        for (Gate gate : gates.getOrDefault(label, List.of())) {
            try (NDArray grad = gate.array().getGradient()) {
                grads[gate.candidate()] += grad.getFloat();
            }
        }
        return grads;
    }
}
