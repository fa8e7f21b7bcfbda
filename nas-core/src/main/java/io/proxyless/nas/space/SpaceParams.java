package io.proxyless.nas.space;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A space's parameters: one JSON object, read by typed getters whose errors name the key. Immutable
 * and compared by value; it travels to executors and into {@code model.json} as its JSON text.
 */
public final class SpaceParams implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final String json;
    private transient JsonObject object;

    private SpaceParams(JsonObject object) {
        this.object = object;
        json = GSON.toJson(object);
    }

    public static SpaceParams empty() {
        return new SpaceParams(new JsonObject());
    }

    /** Parameters from a JSON object's text; {@code source} names it in errors. */
    public static SpaceParams parse(String json, String source) {
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException(source + ": space parameters must be a JSON object, got " + json);
            }
            return new SpaceParams(element.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
    }

    /** Parameters from plain values: numbers, booleans, strings, lists of them. */
    public static SpaceParams of(Map<String, ?> values) {
        return new SpaceParams(GSON.toJsonTree(values).getAsJsonObject());
    }

    /**
     * A copy with {@code key} set from command-line text ({@code --set space.KEY=VALUE}): {@code true}
     * and {@code false} are booleans, numbers are numbers, {@code [..]} is a JSON array,
     * {@code a,b,c} a list of such values, anything else a string.
     */
    public SpaceParams with(String key, String value) {
        JsonObject copy = object().deepCopy();
        if (value.contains(",") && !value.startsWith("[")) {
            JsonArray array = new JsonArray();
            for (String part : value.split(",", -1)) {
                array.add(scalar(part.trim()));
            }
            copy.add(key, array);
        } else if (value.startsWith("[")) {
            try {
                copy.add(key, JsonParser.parseString(value));
            } catch (JsonParseException e) {
                throw new IllegalArgumentException("space parameter '" + key + "': not a JSON array: " + value, e);
            }
        } else {
            copy.add(key, scalar(value));
        }
        return new SpaceParams(copy);
    }

    private static JsonPrimitive scalar(String text) {
        if (text.equals("true") || text.equals("false")) {
            return new JsonPrimitive(Boolean.parseBoolean(text));
        }
        try {
            return new JsonPrimitive(new java.math.BigDecimal(text));
        } catch (NumberFormatException e) {
            return new JsonPrimitive(text);
        }
    }

    /** Refuses any key outside {@code known}, naming it; a space calls this first. */
    public SpaceParams requireOnly(String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : object().keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("space parameter '" + key + "' is not one of this space's: "
                        + new TreeSet<>(allowed));
            }
        }
        return this;
    }

    public boolean has(String key) {
        return object().has(key);
    }

    public Set<String> keys() {
        return new TreeSet<>(object().keySet());
    }

    public int integer(String key, int fallback) {
        JsonElement e = object().get(key);
        if (e == null) {
            return fallback;
        }
        return intOf(e, key);
    }

    public double number(String key, double fallback) {
        JsonElement e = object().get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw bad(key, "a number", e);
        }
        return e.getAsDouble();
    }

    public boolean bool(String key, boolean fallback) {
        JsonElement e = object().get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw bad(key, "true or false", e);
        }
        return e.getAsBoolean();
    }

    public String string(String key, String fallback) {
        JsonElement e = object().get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw bad(key, "a string", e);
        }
        return e.getAsString();
    }

    public int[] integers(String key, int... fallback) {
        JsonElement e = object().get(key);
        if (e == null) {
            return fallback.clone();
        }
        JsonArray array = arrayOf(e, key, "a list of integers");
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = intOf(array.get(i), key + "[" + i + "]");
        }
        return values;
    }

    public List<String> strings(String key, List<String> fallback) {
        JsonElement e = object().get(key);
        if (e == null) {
            return fallback;
        }
        JsonArray array = arrayOf(e, key, "a list of strings");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw bad(key + "[" + i + "]", "a string", item);
            }
            values.add(item.getAsString());
        }
        return values;
    }

    /** The parameters as one JSON object's text, keys in the order they were given. */
    public String json() {
        return json;
    }

    /** The parameters as a tree, for writing into a larger JSON document. */
    public JsonObject asJson() {
        return object().deepCopy();
    }

    private static JsonArray arrayOf(JsonElement e, String key, String expected) {
        if (e.isJsonArray()) {
            return e.getAsJsonArray();
        }
        if (e.isJsonPrimitive()) {
            JsonArray single = new JsonArray();
            single.add(e);
            return single;
        }
        throw bad(key, expected, e);
    }

    private static int intOf(JsonElement e, String key) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw bad(key, "an integer", e);
        }
        double value = e.getAsDouble();
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw bad(key, "an integer", e);
        }
        return (int) value;
    }

    private static IllegalArgumentException bad(String key, String expected, JsonElement got) {
        return new IllegalArgumentException("space parameter '" + key + "': expected " + expected + ", got " + got);
    }

    private JsonObject object() {
        if (object == null) {
            object = JsonParser.parseString(json).getAsJsonObject();
        }
        return object;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpaceParams p && object().equals(p.object());
    }

    @Override
    public int hashCode() {
        return object().hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
