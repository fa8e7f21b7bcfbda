package io.proxyless.nas.export;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.arch.ArchitectureParameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The found network: {@code architecture.json} maps each label to the chosen candidate (argmax of
 * alpha); {@code architecture-probs.json} maps each label to {@code {candidate: probability}}.
 */
public final class ArchitectureExport {

    public static final String ARCHITECTURE = "architecture.json";
    public static final String PROBABILITIES = "architecture-probs.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private ArchitectureExport() {}

    /** Label to chosen candidate name, in model order. */
    public static Map<String, String> chosen(ArchitectureParameters arch) {
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String label : arch.labels()) {
            chosen.put(label, arch.candidateNames(label).get(arch.argmax(label)));
        }
        return chosen;
    }

    public static String architectureJson(ArchitectureParameters arch) {
        return GSON.toJson(chosen(arch)) + "\n";
    }

    public static String probabilitiesJson(ArchitectureParameters arch) {
        JsonObject root = new JsonObject();
        for (String label : arch.labels()) {
            JsonObject probs = new JsonObject();
            List<String> names = arch.candidateNames(label);
            double[] p = arch.probabilities(label);
            for (int i = 0; i < p.length; i++) {
                probs.addProperty(names.get(i), p[i]);
            }
            root.add(label, probs);
        }
        return GSON.toJson(root) + "\n";
    }

    /** Parses {@code architecture.json}; {@code source} names it in errors. */
    public static Map<String, String> parseArchitecture(String json, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected an object mapping labels to candidates");
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw new IllegalArgumentException(source + ": label '" + e.getKey() + "' must map to a candidate name");
            }
            chosen.put(e.getKey(), e.getValue().getAsString());
        }
        return chosen;
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
