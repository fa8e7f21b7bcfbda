package io.proxyless.nas.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON file the project wrote and reads back (a model's {@code model.json}, {@code metrics.json}),
 * parsed as JSON, never as YAML, within a size limit checked before parsing. Values come back as
 * {@code Map}, {@code List}, {@code String}, {@code Boolean}, {@code Integer} or {@code Long} (whole
 * numbers) and {@code Double}.
 */
public final class JsonDocument {

    private JsonDocument() {}

    /** The top-level object of {@code bytes}; {@code source} names the file in every error. */
    public static Map<String, Object> readObject(byte[] bytes, long maxBytes, String source) {
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(source + ": " + bytes.length + " bytes, more than the " + maxBytes
                    + " such a file may have");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException | StackOverflowError e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object at the top level");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) toJava(root);
        return object;
    }

    private static Object toJava(JsonElement e) {
        if (e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            object.entrySet().forEach(entry -> map.put(entry.getKey(), toJava(entry.getValue())));
            return map;
        }
        if (e instanceof JsonArray array) {
            List<Object> list = new ArrayList<>(array.size());
            array.forEach(item -> list.add(toJava(item)));
            return list;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        BigDecimal number = p.getAsBigDecimal();
        try {
            long whole = number.longValueExact();
            return whole == (int) whole ? (Object) (int) whole : (Object) whole;
        } catch (ArithmeticException notWhole) {
            return number.doubleValue();
        }
    }
}
