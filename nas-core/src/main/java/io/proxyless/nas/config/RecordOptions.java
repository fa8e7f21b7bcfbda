package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A configuration record whose components are options, each named by its key in camel case
 * ({@code batch_size}: {@code batchSize}): read by key, and built from values by key. This is how an
 * option is spelled twice only, in its declaration ({@link ConfigOptions}) and as a record component.
 */
final class RecordOptions<R extends Record> {

    private final Class<R> type;
    private final RecordComponent[] components;
    private final Map<String, RecordComponent> byName = new LinkedHashMap<>();
    private final Constructor<R> canonical;

    private RecordOptions(Class<R> type) {
        this.type = type;
        components = type.getRecordComponents();
        for (RecordComponent component : components) {
            byName.put(component.getName(), component);
        }
        try {
            canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    static <R extends Record> RecordOptions<R> of(Class<R> type) {
        return new RecordOptions<>(type);
    }

    /** The component of option {@code name} (the key's last part, {@code learning_rate}). */
    RecordComponent component(String name) {
        RecordComponent component = byName.get(camelCase(name));
        if (component == null) {
            throw new IllegalArgumentException("no option '" + name + "' in " + type.getSimpleName());
        }
        return component;
    }

    RecordComponent[] components() {
        return components.clone();
    }

    Object read(R record, String name) {
        return read(record, component(name));
    }

    Object read(R record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record of these values by component name; a constructor's refusal is rethrown as it is. */
    R construct(Map<String, Object> byComponent) {
        Object[] args = new Object[components.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = byComponent.get(components[i].getName());
        }
        try {
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record of option values by option name ({@code learning_rate}), converted to the components' types. */
    R fromOptions(Map<String, Object> byOption, String section) {
        Map<String, Object> byComponent = new LinkedHashMap<>();
        byOption.forEach((name, value) -> {
            RecordComponent component = component(name);
            byComponent.put(component.getName(), convert(section.isEmpty() ? name : section + "." + name, value,
                    component.getType()));
        });
        return construct(byComponent);
    }

    /** {@code value} as a component of {@code type}: itself, or what a configuration file gives for it. */
    static Object convert(String key, Object value, Class<?> type) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException(TrainerConfig.option(key) + " must be set");
            }
            return null;
        }
        try {
            if (type == int.class) {
                return Math.toIntExact(((Number) value).longValue());
            } else if (type == long.class) {
                return ((Number) value).longValue();
            } else if (type == double.class || type == Double.class) {
                return ((Number) value).doubleValue();
            } else if (type == float.class) {
                return ((Number) value).floatValue();
            } else if (type == boolean.class) {
                return (Boolean) value;
            } else if (type == BinaryMode.class) {
                return value instanceof BinaryMode mode ? mode : BinaryMode.parse((String) value);
            } else if (type == List.class && value instanceof int[] ints) {
                return Arrays.stream(ints).boxed().toList();
            }
            return type.cast(value);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(TrainerConfig.option(key) + ": " + value + " is not a "
                    + type.getSimpleName().toLowerCase(Locale.ROOT), e);
        }
    }

    static String camelCase(String key) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
