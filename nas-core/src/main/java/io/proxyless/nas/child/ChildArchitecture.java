package io.proxyless.nas.child;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.nn.ChoiceRouting;

import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One network of a space: every choice pinned to the candidates {@code architecture.json} names.
 * It is the supernet's fixed path, so the child trains and runs with the search's own step and
 * parameter names, and owns exactly the parameters of the candidates it runs and the shared layers.
 */
public final class ChildArchitecture implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> chosen;
    private final SampledPath path;

    private ChildArchitecture(Map<String, List<String>> chosen, SampledPath path) {
        this.chosen = chosen;
        this.path = path;
    }

    /**
     * Pins {@code architecture} on a model's choices. Errors name {@code source} and the label or
     * candidate the model lacks, or a count the choice does not pick.
     */
    public static ChildArchitecture of(Map<String, Choice> choices, Map<String, List<String>> architecture, String source) {
        Map<String, ChoiceRouting> routing = new LinkedHashMap<>();
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (String label : architecture.keySet()) {
            if (!choices.containsKey(label)) {
                throw new IllegalArgumentException(source + ": names '" + label + "', which the space does not have; its"
                        + " cells are " + choices.keySet());
            }
        }
        for (Map.Entry<String, Choice> e : choices.entrySet()) {
            Choice choice = e.getValue();
            List<String> names = architecture.get(e.getKey());
            if (names == null) {
                throw new IllegalArgumentException(source + ": has no choice for '" + e.getKey() + "'; candidates: "
                        + choice.candidateNames());
            }
            if (names.size() != choice.numChosen() || new HashSet<>(names).size() != names.size()) {
                throw new IllegalArgumentException(source + ": '" + e.getKey() + "' picks " + choice.numChosen()
                        + " distinct candidate(s), the architecture names " + names);
            }
            int[] indices = new int[names.size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = choice.candidateNames().indexOf(names.get(i));
                if (indices[i] < 0) {
                    throw new IllegalArgumentException(source + ": '" + e.getKey() + "' has no candidate '" + names.get(i)
                            + "'; candidates: " + choice.candidateNames());
                }
            }
            routing.put(e.getKey(), new ChoiceRouting(indices, new int[0]));
            ordered.put(e.getKey(), List.copyOf(names));
        }
        return new ChildArchitecture(java.util.Collections.unmodifiableMap(ordered), new SampledPath(routing));
    }

    /** Parses {@code architecture.json} and pins it ({@link #of}). */
    public static ChildArchitecture parse(Map<String, Choice> choices, String json, String source) {
        return of(choices, ArchitectureExport.parseArchitecture(json, source), source);
    }

    /**
     * The uniform network: every layer choice runs {@code op} (e.g. {@code k3e3}), the baseline a
     * searched network is compared with. Input choices keep their first {@code n_chosen} inputs.
     */
    public static ChildArchitecture uniform(Map<String, Choice> choices, String op) {
        Map<String, List<String>> architecture = new LinkedHashMap<>();
        for (Map.Entry<String, Choice> e : choices.entrySet()) {
            Choice choice = e.getValue();
            if (choice instanceof LayerChoice) {
                if (!choice.candidateNames().contains(op)) {
                    throw new IllegalArgumentException("--uniform " + op + ": cell '" + e.getKey()
                            + "' has no such candidate; candidates: " + choice.candidateNames());
                }
                architecture.put(e.getKey(), List.of(op));
            } else {
                architecture.put(e.getKey(), choice.candidateNames().subList(0, choice.numChosen()));
            }
        }
        return of(choices, architecture, "--uniform " + op);
    }

    /**
     * The candidates every layer choice offers, in the first choice's order: the ops a uniform
     * network can run ({@code k3e3}..{@code k7e6} in the built-in space; none, often, in a space of
     * one's own).
     */
    public static List<String> uniformOps(Map<String, Choice> choices) {
        List<String> shared = null;
        for (Choice choice : choices.values()) {
            if (choice instanceof LayerChoice) {
                if (shared == null) {
                    shared = new java.util.ArrayList<>(choice.candidateNames());
                } else {
                    shared.retainAll(choice.candidateNames());
                }
            }
        }
        return shared == null ? List.of() : shared;
    }

    /** Label to chosen candidate names, in model order: what {@code architecture.json} holds. */
    public Map<String, List<String>> chosen() {
        return chosen;
    }

    /** The fixed path: every weight step of a retrain runs it. */
    public SampledPath path() {
        return path;
    }

    /** Whether the child has this parameter or buffer: a shared layer's, or one of a candidate it runs. */
    public boolean owns(ParameterInfo info) {
        return info.isShared() || path.uses(info.ownerLabel(), info.ownerCandidate(), false);
    }

    /** The child's parameters and buffers among a supernet's, in model order. */
    public List<ParameterInfo> parameters(List<ParameterInfo> supernet) {
        return supernet.stream().filter(this::owns).toList();
    }

    /** Trainable values of the child: what the parameter count of a network means. */
    public long trainableCount(List<ParameterInfo> supernet) {
        return parameters(supernet).stream().filter(ParameterInfo::isTrainable).mapToLong(ParameterInfo::size).sum();
    }

    public String describe() {
        return ArchitectureExport.describe(chosen);
    }
}
