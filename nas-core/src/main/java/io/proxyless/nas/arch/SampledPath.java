package io.proxyless.nas.arch;

import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.nn.ChoiceRouting;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One sampled path through the supernet: for each label, the active candidate(s) and the set the
 * gate-gradient estimator covers (the pair in mode {@code two}, all candidates in {@code full_v2}),
 * and the labels whose active candidate is {@code zero}, which take no architecture update. Small
 * and serializable: this is what the driver ships to executors each step.
 */
public final class SampledPath implements Serializable {

    private static final long serialVersionUID = 2L;

    private final Map<String, ChoiceRouting> routing;
    private final Set<String> zeroActive;

    public SampledPath(Map<String, ChoiceRouting> routing) {
        this(routing, Set.of());
    }

    /** @param zeroActive labels whose active candidate is {@code zero} */
    public SampledPath(Map<String, ChoiceRouting> routing, Set<String> zeroActive) {
        this.routing = new LinkedHashMap<>(routing);
        this.zeroActive = Set.copyOf(zeroActive);
    }

    /**
     * Routing for an architecture step: active candidates plus the gates the update will use. A
     * zero-active cell gets no update, so its gates, and its partner's recomputation, are skipped.
     */
    public Map<String, ChoiceRouting> forArchitectureStep() {
        Map<String, ChoiceRouting> gated = new LinkedHashMap<>();
        routing.forEach((label, r) -> gated.put(label, zeroActive.contains(label) ? withoutGates(r) : r));
        return gated;
    }

    /** Routing for a weight step: active candidates only; nothing else runs. */
    public Map<String, ChoiceRouting> forWeightStep() {
        Map<String, ChoiceRouting> weightOnly = new LinkedHashMap<>();
        routing.forEach((label, r) -> weightOnly.put(label, withoutGates(r)));
        return weightOnly;
    }

    private static ChoiceRouting withoutGates(ChoiceRouting r) {
        return new ChoiceRouting(r.active(), new int[0]);
    }

    /** The sampled routing of a label, its gated set being the estimator set; null if the path lacks it. */
    public ChoiceRouting routing(String label) {
        return routing.get(label);
    }

    /** Whether the label's active candidate is {@code zero}: it takes no architecture update this step. */
    public boolean isZeroActive(String label) {
        return zeroActive.contains(label);
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
        if (architectureStep && !zeroActive.contains(label)) {
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
        return routing + (zeroActive.isEmpty() ? "" : " zero-active " + zeroActive);
    }
}
