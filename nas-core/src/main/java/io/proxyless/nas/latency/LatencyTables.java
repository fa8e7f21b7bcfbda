package io.proxyless.nas.latency;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.space.SearchSpace;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads latency tables: our JSON ({@code {"hardware", "unit", "entries": {key: ms}}}) and CSV
 * ({@code key,ms}), the authors' flat YAML ({@code key: {mean, count, var}}) and NNI's
 * {@code latency_table.yaml} (a list of {@code {applied_hardware, latency_table}} mapping each label
 * to {@code {candidate index: ms}} plus {@code stationary_block: {root: ms}}). Errors name the file
 * and the row or key.
 */
public final class LatencyTables {

    private LatencyTables() {}

    /** Parses a table file for a space; {@code hardware} picks the device in NNI's multi-device files. */
    public static SpaceLatency read(String content, String source, SearchSpace space, String hardware) {
        String trimmed = content.stripLeading();
        if (trimmed.startsWith("{")) {
            JsonObject root = parseObject(content, source);
            return root.has("cells") ? byCell(root, source, SpaceCells.of(space))
                    : SpaceLatency.of(space, json(content, source));
        }
        if (source.endsWith(".csv")) {
            return SpaceLatency.of(space, csv(content, source));
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(content);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": neither JSON, CSV nor YAML: " + e.getMessage(), e);
        }
        if (doc instanceof List<?> list) {
            return nni(list, source, SpaceCells.of(space), hardware);
        }
        if (doc instanceof Map<?, ?> map) {
            return SpaceLatency.of(space, authors(map, source));
        }
        throw new IllegalArgumentException(source + ": not a latency table");
    }

    private static JsonObject parseObject(String content, String source) {
        try {
            return JsonParser.parseString(content).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a latency table (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A table keyed by cell label and candidate name, for hardware a user measured themselves:
     * {@code {"hardware": "jetson", "unit": "ms", "fixed": 1.2, "cells": {"s0": {"k3e3": 0.31, ...}, ...}}}.
     * {@code fixed} is the part outside the cells. Every candidate of every cell needs a cost ({@code zero}
     * may be left out: it costs 0); a label or candidate the space lacks is named.
     */
    static SpaceLatency byCell(JsonObject root, String source, SpaceCells space) {
        if (!root.has("fixed") || !root.get("fixed").isJsonPrimitive() || !root.get("cells").isJsonObject()) {
            throw new IllegalArgumentException(source + ": a table by cell needs 'fixed' (a number) and 'cells' (an"
                    + " object of cells, each an object of candidate costs)");
        }
        JsonObject byLabel = root.getAsJsonObject("cells");
        for (String label : byLabel.keySet()) {
            if (!space.names().containsKey(label)) {
                throw new IllegalArgumentException(source + ": cells." + label + ": the space has no such cell; it has "
                        + space.names().keySet());
            }
        }
        Map<String, double[]> cells = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (String label : space.names().keySet()) {
            List<String> candidates = space.candidates(label);
            if (!byLabel.has(label) && allFree(space, label)) {
                cells.put(label, new double[candidates.size()]);
                names.put(label, candidates);
                continue;
            }
            if (!byLabel.has(label) || !byLabel.get(label).isJsonObject()) {
                throw new IllegalArgumentException(source + ": no costs for cell '" + label + "' (candidates "
                        + candidates + ")");
            }
            JsonObject costsByName = byLabel.getAsJsonObject(label);
            for (String name : costsByName.keySet()) {
                if (!candidates.contains(name)) {
                    throw new IllegalArgumentException(source + ": cells." + label + "." + name + ": the cell has no"
                            + " such candidate; it has " + candidates);
                }
            }
            double[] costs = new double[candidates.size()];
            for (int i = 0; i < costs.length; i++) {
                JsonElement cost = costsByName.get(candidates.get(i));
                if (cost == null && space.isFree(label, i)) {
                    continue;
                }
                if (cost == null || !cost.isJsonPrimitive() || !cost.getAsJsonPrimitive().isNumber()
                        || !(cost.getAsDouble() >= 0)) {
                    throw new IllegalArgumentException(source + ": cells." + label + "." + candidates.get(i)
                            + " needs a cost (a number >= 0), got " + cost);
                }
                costs[i] = cost.getAsDouble();
            }
            cells.put(label, costs);
            names.put(label, candidates);
        }
        double fixed = root.get("fixed").getAsDouble();
        if (!(fixed >= 0)) {
            throw new IllegalArgumentException(source + ": fixed must be a number >= 0, got " + root.get("fixed"));
        }
        String hardware = root.has("hardware") ? root.get("hardware").getAsString() : "file";
        String unit = root.has("unit") ? root.get("unit").getAsString() : "ms";
        return new SpaceLatency(hardware, unit, fixed, cells, names);
    }

    /** Reads a table in our JSON format, as op keys. */
    public static LatencyTable readOwn(String content, String source) {
        return json(content, source);
    }

    static LatencyTable json(String content, String source) {
        try {
            JsonObject root = JsonParser.parseString(content).getAsJsonObject();
            Map<String, Double> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("entries").entrySet()) {
                entries.put(e.getKey(), e.getValue().getAsDouble());
            }
            return new LatencyTable(root.get("hardware").getAsString(), root.get("unit").getAsString(), source, entries);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a latency table (" + e.getMessage() + ")", e);
        }
    }

    /** Our JSON format. */
    public static String toJson(LatencyTable table, Map<String, Object> metadata) {
        JsonObject root = new JsonObject();
        root.addProperty("hardware", table.hardware());
        root.addProperty("unit", table.unit());
        metadata.forEach((k, v) -> root.add(k, new com.google.gson.Gson().toJsonTree(v)));
        JsonObject entries = new JsonObject();
        table.entries().forEach(entries::addProperty);
        root.add("entries", entries);
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    static LatencyTable csv(String content, String source) {
        Map<String, Double> entries = new LinkedHashMap<>();
        String[] lines = content.split("\r?\n");
        for (int row = 0; row < lines.length; row++) {
            String line = lines[row].trim();
            if (line.isEmpty() || line.startsWith("#") || (row == 0 && line.startsWith("key,"))) {
                continue;
            }
            String[] parts = line.split(",");
            if (parts.length != 2) {
                throw new IllegalArgumentException(source + ": row " + (row + 1) + ": expected 'key,ms', got '" + line + "'");
            }
            try {
                entries.put(parts[0].trim(), Double.parseDouble(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": row " + (row + 1) + ": '" + parts[1] + "' is not a number", e);
            }
        }
        return new LatencyTable("file", "ms", source, entries);
    }

    static LatencyTable authors(Map<?, ?> map, String source) {
        Map<String, Double> entries = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!(v instanceof Map<?, ?> stats) || !(stats.get("mean") instanceof Number mean)) {
                throw new IllegalArgumentException(source + ": key '" + k + "' needs {mean: ms}");
            }
            entries.put(k.toString(), mean.doubleValue());
        });
        return new LatencyTable("file", "ms", source, entries);
    }

    private static boolean allFree(SpaceCells space, String label) {
        for (int i = 0; i < space.candidates(label).size(); i++) {
            if (!space.isFree(label, i)) {
                return false;
            }
        }
        return true;
    }

    static SpaceLatency nni(List<?> list, String source, SpaceCells space, String hardware) {
        Map<?, ?> chosen = null;
        for (Object item : list) {
            if (item instanceof Map<?, ?> m && (hardware == null || hardware.equals(m.get("applied_hardware")))) {
                chosen = m;
                break;
            }
        }
        if (chosen == null || !(chosen.get("latency_table") instanceof Map<?, ?> table)) {
            throw new IllegalArgumentException(source + ": no latency_table for applied_hardware '" + hardware + "'");
        }
        Map<String, double[]> cells = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        double fixed = 0;
        if (table.get("stationary_block") instanceof Map<?, ?> stationary) {
            for (Object v : stationary.values()) {
                fixed += ((Number) v).doubleValue();
            }
        } else {
            throw new IllegalArgumentException(source + ": latency_table has no stationary_block");
        }
        for (String label : space.names().keySet()) {
            List<String> candidates = space.candidates(label);
            double[] costs = new double[candidates.size()];
            if (allFree(space, label)) {
                cells.put(label, costs);
                names.put(label, candidates);
                continue;
            }
            if (!(table.get(label) instanceof Map<?, ?> byIndex)) {
                throw new IllegalArgumentException(source + ": no entry for cell '" + label + "'");
            }
            for (int i = 0; i < costs.length; i++) {
                if (space.isFree(label, i)) {
                    continue;
                }
                Object v = byIndex.containsKey(i) ? byIndex.get(i) : byIndex.get(Integer.toString(i));
                if (!(v instanceof Number n)) {
                    throw new IllegalArgumentException(source + ": cell '" + label + "' has no latency for candidate " + i
                            + " (" + candidates.get(i) + ")");
                }
                costs[i] = n.doubleValue();
            }
            cells.put(label, costs);
            names.put(label, candidates);
        }
        return new SpaceLatency(hardware == null ? "nni" : hardware, "ms", fixed, cells, names);
    }
}
