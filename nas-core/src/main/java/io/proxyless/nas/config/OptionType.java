package io.proxyless.nas.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kind of value an option takes, and how a value is read from YAML or from command-line text
 * ({@code "16,24,40"} for a list, {@code "lambda=0.5,beta=1"} for a mapping). Values are held as
 * {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code List} of those,
 * or {@code Map<String, Double>}.
 */
public enum OptionType {
    INTEGER("an integer", "N"),
    LONG("an integer", "N"),
    NUMBER("a number", "X"),
    BOOLEAN("true or false", "true|false"),
    STRING("a string", "TEXT"),
    STRINGS("a list of strings", "A,B,..."),
    INTEGERS("a list of integers", "N,N,..."),
    NUMBERS("a list of numbers", "X,X,..."),
    NUMBER_MAP("a mapping of names to numbers", "KEY=X,..."),
    /** Held as a JSON object's text; a YAML mapping is converted. */
    JSON_OBJECT("a mapping, or a JSON object's text", "JSON"),
    ;

    private final String expected;
    private final String label;

    OptionType(String expected, String label) {
        this.expected = expected;
        this.label = label;
    }

    /** How {@code --help} names the value. */
    public String label() {
        return label;
    }

    /**
     * The value of {@code raw} (a YAML value or command-line text) as this type holds it.
     *
     * @throws IllegalArgumentException saying what was expected; the caller adds where it was
     */
    public Object read(Object raw) {
        return switch (this) {
            case INTEGER -> Math.toIntExact(integral(raw));
            case LONG -> integral(raw);
            case NUMBER -> number(raw);
            case BOOLEAN -> bool(raw);
            case STRING -> string(raw);
            case STRINGS -> items(raw).stream().map(this::string).toList();
            case INTEGERS -> items(raw).stream().map(item -> Math.toIntExact(integral(item))).toList();
            case NUMBERS -> items(raw).stream().map(this::number).toList();
            case NUMBER_MAP -> numberMap(raw);
            case JSON_OBJECT -> jsonObject(raw);
        };
    }

    /** The value as YAML flow text: what {@code config --show} and the reference print. */
    public static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(render(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(k + ": " + render(v)));
            return "{" + String.join(", ", entries) + "}";
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
        }
        if (value instanceof String s && (s.isEmpty() || s.contains("#") || s.contains(":") || s.equals("none"))) {
            return "'" + s + "'";
        }
        return value.toString();
    }

    private IllegalArgumentException wrong(Object raw) {
        return new IllegalArgumentException("expects " + expected + ", got '" + raw + "'");
    }

    private long integral(Object raw) {
        if (raw instanceof Integer || raw instanceof Long) {
            return ((Number) raw).longValue();
        }
        return parsed(raw, Long::parseLong);
    }

    private double number(Object raw) {
        return raw instanceof Number n ? n.doubleValue() : parsed(raw, Double::parseDouble);
    }

    /** Command-line text (or a YAML string) as a number. */
    private <T> T parsed(Object raw, java.util.function.Function<String, T> parser) {
        if (!(raw instanceof String s)) {
            throw wrong(raw);
        }
        try {
            return parser.apply(s.trim());
        } catch (NumberFormatException e) {
            throw wrong(raw);
        }
    }

    private boolean bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw wrong(raw);
    }

    private String jsonObject(Object raw) {
        if (raw instanceof Map<?, ?> map) {
            return new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(map);
        }
        if (raw instanceof String text) {
            try {
                com.google.gson.JsonElement parsed = com.google.gson.JsonParser.parseString(text);
                if (parsed.isJsonObject()) {
                    return parsed.toString();
                }
            } catch (com.google.gson.JsonParseException e) {
                throw wrong(raw);
            }
        }
        throw wrong(raw);
    }

    private String string(Object raw) {
        if (raw instanceof String || raw instanceof Number) {
            return raw.toString();
        }
        throw wrong(raw);
    }

    /** A YAML list, one scalar, or command-line text {@code "a,b"} or {@code "[a, b]"}. */
    private List<?> items(Object raw) {
        if (raw instanceof List<?> list) {
            return list;
        }
        if (raw instanceof String s) {
            String inner = s.trim().replaceAll("^\\[|\\]$", "").trim();
            return inner.isEmpty() ? List.of() : Arrays.stream(inner.split("\\s*,\\s*")).toList();
        }
        if (raw instanceof Number || raw instanceof Boolean) {
            return List.of(raw);
        }
        throw wrong(raw);
    }

    private Map<String, Double> numberMap(Object raw) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), number(v)));
            return out;
        }
        if (raw instanceof String s) {
            String inner = s.trim().replaceAll("^\\{|\\}$", "").trim();
            for (String entry : inner.isEmpty() ? new String[0] : inner.split("\\s*,\\s*")) {
                String[] kv = entry.split("\\s*[=:]\\s*", 2);
                if (kv.length != 2 || kv[0].isEmpty()) {
                    throw wrong(raw);
                }
                out.put(kv[0], number(kv[1]));
            }
            return out;
        }
        throw wrong(raw);
    }
}
