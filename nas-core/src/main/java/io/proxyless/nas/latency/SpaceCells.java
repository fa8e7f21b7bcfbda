package io.proxyless.nas.latency;

import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.mobilenet.OpShape;
import io.proxyless.nas.mobilenet.SpaceLayout;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells a latency table prices: each choice's label and candidate names, in model order, and
 * which candidates cost nothing whatever the hardware ({@code zero}; the inputs of an input choice,
 * which only route tensors computed anyway).
 */
public record SpaceCells(Map<String, List<String>> names, Map<String, boolean[]> free) {

    /** The cells of a space: from its layout for the built-in family, from its built supernet otherwise. */
    public static SpaceCells of(SearchSpace space) {
        if (space instanceof MobileNetSpace builtIn) {
            return of(builtIn.layout());
        }
        try (Supernet supernet = Supernet.of(space)) {
            return of(supernet.choices());
        }
    }

    public static SpaceCells of(SpaceLayout layout) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, boolean[]> free = new LinkedHashMap<>();
        for (Map.Entry<String, List<OpShape>> cell : layout.cells().entrySet()) {
            names.put(cell.getKey(), layout.candidateNames(cell.getKey()));
            boolean[] zero = new boolean[cell.getValue().size()];
            for (int i = 0; i < zero.length; i++) {
                zero[i] = cell.getValue().get(i) == null;
            }
            free.put(cell.getKey(), zero);
        }
        return new SpaceCells(names, free);
    }

    public static SpaceCells of(Map<String, Choice> choices) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, boolean[]> free = new LinkedHashMap<>();
        choices.forEach((label, choice) -> {
            names.put(label, choice.candidateNames());
            boolean[] costless = new boolean[choice.numCandidates()];
            for (int i = 0; i < costless.length; i++) {
                costless[i] = !(choice instanceof LayerChoice) || choice.isZero(i);
            }
            free.put(label, costless);
        });
        return new SpaceCells(names, free);
    }

    /** The key of one candidate in a table by cell: {@code LABEL/CANDIDATE}. */
    public static String key(String label, String candidate) {
        return label + "/" + candidate;
    }

    public List<String> candidates(String label) {
        return names.get(label);
    }

    public boolean isFree(String label, int candidate) {
        return free.get(label)[candidate];
    }
}
