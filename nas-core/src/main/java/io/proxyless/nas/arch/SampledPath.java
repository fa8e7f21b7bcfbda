package io.proxyless.nas.arch;

import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.nn.ChoiceRouting;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sampled path through the supernet: for each label, the active candidate(s) and the set the
 * gate-gradient estimator covers (the pair in mode {@code two}, all candidates in {@code full_v2}).
 * Small and serializable: this is what the driver ships to executors each step.
 */
public final class SampledPath implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, ChoiceRouting> routing;

    public SampledPath(Map<String, ChoiceRouting> routing) {
        this.routing = new LinkedHashMap<>(routing);
    }

    /** Routing for an architecture step: active candidates plus their gate set. */
    public Map<String, ChoiceRouting> forArchitectureStep() {
        return routing;
    }

    /** Routing for a weight step: active candidates only; nothing else runs. */
    public Map<String, ChoiceRouting> forWeightStep() {
        Map<String, ChoiceRouting> weightOnly = new LinkedHashMap<>();
        routing.forEach((label, r) -> weightOnly.put(label, new ChoiceRouting(r.active(), new int[0])));
        return weightOnly;
    }

    public ChoiceRouting routing(String label) {
        return routing.get(label);
    }

    /** Whether this candidate's parameters are needed for a step of this kind. */
    public boolean uses(String label, int candidate, boolean architectureStep) {
        ChoiceRouting r = routing.get(label);
        if (r == null) {
            return false;
        }
        if (r.isActive(candidate)) {
            return true;
        }
        if (architectureStep) {
            for (int g : r.gated()) {
                if (g == candidate) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a step of this kind trains or ships this parameter: trainable, and either shared or
     * owned by a candidate the path runs.
     */
    public boolean needs(ParameterInfo info, boolean architectureStep) {
        return info.isTrainable()
                && (info.isShared() || uses(info.ownerLabel(), info.ownerCandidate(), architectureStep));
    }

    @Override
    public String toString() {
        return routing.toString();
    }
}
