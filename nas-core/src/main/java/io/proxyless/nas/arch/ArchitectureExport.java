package io.proxyless.nas.arch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The found network: {@code architecture.json} maps each label to the chosen candidate (argmax of
 * alpha), or to the list of the top {@code k} for a choice that picks {@code k};
 * {@code architecture-probs.json} maps each label to {@code {candidate: probability}}.
 */
public final class ArchitectureExport {

    public static final String ARCHITECTURE = "architecture.json";
    public static final String PROBABILITIES = "architecture-probs.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private ArchitectureExport() {}

    /** {@code architecture.json}: a label that picks one candidate maps to its name, one that picks several to a list. */
    public static String architectureJson(ArchitectureParameters arch) {
        return architectureJson(arch.chosen());
    }

    /** {@code architecture.json} of a network chosen some other way (under a latency budget, say). */
    public static String architectureJson(Map<String, List<String>> architecture) {
        return GSON.toJson(toJson(architecture)) + "\n";
    }

    /** One line for logs: each label's choice, several joined by {@code +}, e.g. {@code [k7e3, zero, 0+2]}. */
    public static String describe(Map<String, List<String>> architecture) {
        return architecture.values().stream().map(names -> String.join("+", names)).toList().toString();
    }

    /** The JSON form of an architecture, as {@code architecture.json} and {@code metrics.jsonl} write it. */
    public static JsonObject toJson(Map<String, List<String>> architecture) {
        JsonObject root = new JsonObject();
        architecture.forEach((label, names) -> {
            if (names.size() == 1) {
                root.addProperty(label, names.get(0));
            } else {
                JsonArray list = new JsonArray();
                names.forEach(list::add);
                root.add(label, list);
            }
        });
        return root;
    }

    /** Each label's candidates with their probabilities, in model order. */
    public static Map<String, Map<String, Double>> probabilities(ArchitectureParameters arch) {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        for (String label : arch.labels()) {
            Map<String, Double> probs = new LinkedHashMap<>();
            List<String> names = arch.candidateNames(label);
            double[] p = arch.probabilities(label);
            for (int i = 0; i < p.length; i++) {
                probs.put(names.get(i), p[i]);
            }
            all.put(label, probs);
        }
        return all;
    }

    public static String probabilitiesJson(ArchitectureParameters arch) {
        return GSON.toJson(probabilities(arch)) + "\n";
    }

    /** Parses {@code architecture.json}; {@code source} names it in errors. */
    public static Map<String, List<String>> parseArchitecture(String json, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected an object mapping labels to candidates");
        }
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            JsonElement value = e.getValue();
            List<String> names = new ArrayList<>();
            if (value.isJsonPrimitive()) {
                names.add(value.getAsString());
            } else if (value.isJsonArray() && !value.getAsJsonArray().isEmpty()) {
                for (JsonElement name : value.getAsJsonArray()) {
                    if (!name.isJsonPrimitive()) {
                        throw new IllegalArgumentException(source + ": label '" + e.getKey()
                                + "' must map to a candidate name or a list of names");
                    }
                    names.add(name.getAsString());
                }
            } else {
                throw new IllegalArgumentException(source + ": label '" + e.getKey()
                        + "' must map to a candidate name or a list of names");
            }
            chosen.put(e.getKey(), List.copyOf(names));
        }
        return chosen;
    }

    /** An architecture that picks one candidate per label, in the form {@link #parseArchitecture} gives. */
    public static Map<String, List<String>> fromSingle(Map<String, String> architecture) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        architecture.forEach((label, name) -> lists.put(label, List.of(name)));
        return lists;
    }

    /**
     * One candidate per label, as latency tables price a network; {@code source} names the
     * architecture when a label picks several.
     */
    public static Map<String, String> singleChoices(Map<String, List<String>> architecture, String source) {
        Map<String, String> single = new LinkedHashMap<>();
        architecture.forEach((label, names) -> {
            if (names.size() != 1) {
                throw new IllegalArgumentException(source + ": label '" + label + "' picks " + names.size()
                        + " candidates " + names + "; a latency table prices one op per cell");
            }
            single.put(label, names.get(0));
        });
        return single;
    }

    /** Parses {@code architecture-probs.json}. */
    public static Map<String, Map<String, Double>> parseProbabilities(String json, String source) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : JsonParser.parseString(json).getAsJsonObject().entrySet()) {
                Map<String, Double> probs = new LinkedHashMap<>();
                e.getValue().getAsJsonObject().entrySet().forEach(p -> probs.put(p.getKey(), p.getValue().getAsDouble()));
                out.put(e.getKey(), probs);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a probabilities file: " + e.getMessage(), e);
        }
        return out;
    }
}
