package io.proxyless.nas.space;

import com.google.gson.JsonObject;

import java.io.File;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A space as a class name and its parameters: what travels to executors, into {@code run.json} and
 * into {@code model.json}, and what {@link #create} builds the space from, by reflection, in any JVM
 * whose class loader has the class (Spark's {@code --jars} puts it there).
 */
public record SpaceSpec(String className, SpaceParams params) implements Serializable {

    public SpaceSpec {
        Objects.requireNonNull(className, "className");
        params = params == null ? SpaceParams.empty() : params;
    }

    /** The space, built by its {@code (SpaceParams)} constructor from the thread's context class loader. */
    public SearchSpace create() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SpaceSpec.class.getClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalArgumentException("space class " + className + " is not on the classpath (add its jar with"
                    + " --jars); searched: " + String.join(File.pathSeparator, classpath(loader)), e);
        }
        if (!SearchSpace.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("space class " + className + " does not implement "
                    + SearchSpace.class.getName());
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("space class " + className + " must be a public, concrete class");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor(SpaceParams.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("space class " + className + " needs a public constructor taking "
                    + SpaceParams.class.getName() + " (its parameters)", e);
        }
        try {
            return (SearchSpace) constructor.newInstance(params);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("space " + className + " refused its parameters " + params.json() + ": "
                    + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("space class " + className + " cannot be built: " + e, e);
        }
    }

    /** {@code {"class": ..., "params": {...}}}, as {@code model.json} and {@code run.json} record it. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("class", className);
        json.add("params", params.asJson());
        return json;
    }

    /** Reads {@link #toJson}'s form; {@code source} names the document in errors. */
    public static SpaceSpec fromJson(JsonObject json, String source) {
        if (!json.has("class") || !json.get("class").isJsonPrimitive()) {
            throw new IllegalArgumentException(source + ": the space needs a \"class\" (a class name)");
        }
        SpaceParams params = json.has("params")
                ? SpaceParams.parse(json.get("params").toString(), source + ", params")
                : SpaceParams.empty();
        return new SpaceSpec(json.get("class").getAsString(), params);
    }

    private static List<String> classpath(ClassLoader loader) {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    entries.add(url.toString());
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return new ArrayList<>(entries);
    }
}
