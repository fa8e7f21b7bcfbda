package io.proxyless.nas.model;

import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;

import java.util.List;
import java.util.Map;

/** What makes a space searchable, checked on its built supernet before any step; each error names the choice. */
final class SpaceCheck {

    private SpaceCheck() {}

    static void check(Supernet supernet, String space) {
        if (supernet.choices().isEmpty()) {
            throw new IllegalArgumentException("space " + space + " has no LayerChoice or InputChoice: there is nothing"
                    + " to search");
        }
        for (Map.Entry<String, List<String>> label : supernet.choicePaths().entrySet()) {
            if (label.getValue().size() > 1) {
                throw new IllegalArgumentException("space " + space + ": " + label.getValue().size()
                        + " choices are labelled '" + label.getKey() + "', at " + String.join(" and ", label.getValue())
                        + "; give each choice a label of its own");
            }
        }
        for (Choice choice : supernet.choices().values()) {
            if (choice instanceof LayerChoice layer) {
                layer.checkOutputShapes(layer.getInputShapes());
            }
        }
    }

}
