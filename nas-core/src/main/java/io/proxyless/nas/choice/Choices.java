package io.proxyless.nas.choice;

import ai.djl.nn.Block;
import ai.djl.util.Pair;

import java.util.LinkedHashMap;
import java.util.Map;

/** Finds the choices of a model. */
public final class Choices {

    private Choices() {}

    /** Every choice in the block tree by label, in model order (the first block of a shared label). */
    public static Map<String, Choice> find(Block block) {
        Map<String, Choice> found = new LinkedHashMap<>();
        collect(block, found);
        return found;
    }

    private static void collect(Block block, Map<String, Choice> found) {
        if (block instanceof Choice choice) {
            found.putIfAbsent(choice.label(), choice);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), found);
        }
    }
}
