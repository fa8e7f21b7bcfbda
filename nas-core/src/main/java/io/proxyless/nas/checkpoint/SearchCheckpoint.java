package io.proxyless.nas.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.reflect.TypeToken;
import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.optim.AdamOptimizer;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A search's whole state as a {@link TensorFile} (format {@code proxyless-search-checkpoint},
 * version 1): every weight and buffer ({@code weights/NAME}), SGD momentum ({@code sgd/NAME}), the
 * architecture logits ({@code alpha/LABEL}) and Adam's moments ({@code adam_m/}, {@code adam_v/}),
 * with the loop position, Adam's step counts and the configuration and data fingerprints as string
 * metadata. Random generators need no state: every draw is keyed by the seed and the position's
 * counters.
 */
public final class SearchCheckpoint {

    public static final String FORMAT = "proxyless-search-checkpoint";
    public static final String VERSION = "1";
    static final String RUN = "run";
    static final String THREADS = "torch_threads";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final java.lang.reflect.Type STRING_MAP = new TypeToken<Map<String, String>>() { }.getType();

    private SearchCheckpoint() {}

    /** The configuration as flat {@code key.path -> value} pairs, for comparing two runs key by key. */
    public static Map<String, String> configFingerprint(TrainerConfig config) {
        Map<String, String> flat = new TreeMap<>();
        flatten("", GSON.toJsonTree(config), flat);
        // How often to checkpoint does not change the search: a resumed run may choose another.
        flat.remove("checkpointEvery");
        // The run fingerprint records the shard count in effect, which shards: 0 leaves to the partitions.
        flat.remove("shards");
        return flat;
    }

    private static void flatten(String prefix, JsonElement element, Map<String, String> flat) {
        if (element.isJsonObject()) {
            element.getAsJsonObject().entrySet().forEach(e ->
                    flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), flat));
        } else {
            flat.put(prefix, element.toString());
        }
    }

    /** The first key whose value differs, as {@code key: recorded X, now Y}, or null when none does. */
    public static String firstDifference(Map<String, String> recorded, Map<String, String> now) {
        TreeMap<String, String> keys = new TreeMap<>(recorded);
        now.forEach(keys::putIfAbsent);
        for (String key : keys.keySet()) {
            String a = recorded.get(key);
            String b = now.get(key);
            if (a == null ? b != null : !a.equals(b)) {
                return key + ": recorded " + a + ", now " + b;
            }
        }
        return null;
    }

    public static TensorFile encode(SupernetMaster master, ArchitectureLoss loss, LoopPosition next, Fingerprints prints) {
        Map<String, float[]> floats = new LinkedHashMap<>();
        master.allValues().forEach((name, values) -> floats.put("weights/" + name, values));
        new TreeMap<>(master.sgd().momentumBuffers()).forEach((name, buffer) -> floats.put("sgd/" + name, buffer));
        Map<String, double[]> doubles = new LinkedHashMap<>();
        Map<String, String> adamSteps = new TreeMap<>();
        for (String label : master.architecture().labels()) {
            doubles.put("alpha/" + label, master.architecture().alpha(label));
            AdamOptimizer.State state = master.adam().state(label);
            if (state != null) {
                doubles.put("adam_m/" + label, state.m());
                doubles.put("adam_v/" + label, state.v());
                adamSteps.put(label, Long.toString(state.step()));
            }
        }
        loss.state().forEach((name, values) -> doubles.put("loss/" + name, values));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("version", VERSION);
        metadata.put("position", GSON.toJson(next));
        metadata.put("adam_steps", GSON.toJson(adamSteps));
        metadata.put("config", GSON.toJson(prints.config()));
        metadata.put("data", GSON.toJson(prints.data()));
        metadata.put(RUN, GSON.toJson(prints.run()));
        metadata.put(THREADS, prints.threads());
        return new TensorFile(metadata, floats, doubles);
    }

    /** The configuration fingerprint a checkpoint recorded. */
    public static Map<String, String> recordedConfig(TensorFile file) {
        return GSON.fromJson(file.metadata().get("config"), STRING_MAP);
    }

    /** The run fingerprint a checkpoint's metadata recorded (empty before it was recorded). */
    public static Map<String, String> recordedRun(Map<String, String> metadata) {
        String run = metadata.get(RUN);
        try {
            Map<String, String> recorded = run == null ? null : GSON.fromJson(run, STRING_MAP);
            return recorded == null ? Map.of() : recorded;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** The data fingerprint a checkpoint recorded. */
    public static Map<String, String> recordedData(TensorFile file) {
        return GSON.fromJson(file.metadata().get("data"), STRING_MAP);
    }

    /** Checks the format and version; {@code source} names the file. */
    public static void checkFormat(TensorFile file, String source) throws IOException {
        if (!FORMAT.equals(file.metadata().get("format")) || !VERSION.equals(file.metadata().get("version"))) {
            throw new IOException(source + ": not a " + FORMAT + " of version " + VERSION + " (format "
                    + file.metadata().get("format") + ", version " + file.metadata().get("version") + ")");
        }
    }

    /**
     * The most bytes a checkpoint of {@code master}'s supernet can take: every weight with its momentum,
     * the logits with Adam's moments, a little loss state, and the largest header. A longer file is
     * refused unread.
     */
    public static long maxBytes(SupernetMaster master) {
        long floats = master.allValues().values().stream().mapToLong(v -> v.length).sum();
        long doubles = master.architecture().labels().stream().mapToLong(l -> master.architecture().alpha(l).length).sum();
        return 8 + TensorFile.MAX_HEADER_BYTES + 2 * 4 * floats + 3 * 8 * doubles + 8 * 4096;
    }

    /**
     * Checks that a checkpoint can be put into {@code master} whole: its format, a tensor of the
     * supernet's size for every parameter, logit and moment, and readable position and step counts.
     * Nothing is changed, so a checkpoint that fails leaves the master as it was for the next one.
     */
    public static void checkUsable(TensorFile file, SupernetMaster master, String source) throws IOException {
        checkFormat(file, source);
        Map<String, float[]> values = master.allValues();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            float[] saved = file.floats().get("weights/" + e.getKey());
            if (saved == null || saved.length != e.getValue().length) {
                throw new IOException(source + ": " + (saved == null ? "no" : "a " + saved.length + "-value")
                        + " tensor for parameter '" + e.getKey() + "' (" + e.getValue().length + " values)");
            }
        }
        for (Map.Entry<String, float[]> e : file.floats().entrySet()) {
            if (e.getKey().startsWith("sgd/")) {
                float[] weights = values.get(e.getKey().substring("sgd/".length()));
                if (weights == null || weights.length != e.getValue().length) {
                    throw new IOException(source + ": momentum '" + e.getKey() + "' fits no parameter of the supernet");
                }
            }
        }
        Map<String, String> adamSteps;
        try {
            adamSteps = GSON.fromJson(file.metadata().get("adam_steps"), STRING_MAP);
            if (GSON.fromJson(file.metadata().get("position"), LoopPosition.class) == null || adamSteps == null) {
                throw new IOException(source + ": no position or adam_steps in its metadata");
            }
            adamSteps.values().forEach(Long::parseLong);
        } catch (RuntimeException e) {
            throw new IOException(source + ": unreadable position or adam_steps: " + e.getMessage(), e);
        }
        for (String label : master.architecture().labels()) {
            int size = master.architecture().alpha(label).length;
            List<String> tensors = adamSteps.containsKey(label) ? List.of("alpha/", "adam_m/", "adam_v/") : List.of("alpha/");
            for (String prefix : tensors) {
                double[] saved = file.doubles().get(prefix + label);
                if (saved == null || saved.length != size) {
                    throw new IOException(source + ": no " + prefix + label + " of " + size + " values");
                }
            }
        }
    }

    /** Puts a checkpoint's state into a master built for the same configuration; returns where to go on. */
    public static LoopPosition restore(TensorFile file, SupernetMaster master, ArchitectureLoss loss, String source)
            throws IOException {
        checkUsable(file, master, source);
        for (Map.Entry<String, float[]> e : master.allValues().entrySet()) {
            float[] saved = file.floats().get("weights/" + e.getKey());
            System.arraycopy(saved, 0, e.getValue(), 0, saved.length);
        }
        file.floats().forEach((name, buffer) -> {
            if (name.startsWith("sgd/")) {
                master.sgd().restore(name.substring("sgd/".length()), buffer);
            }
        });
        Map<String, String> adamSteps = GSON.fromJson(file.metadata().get("adam_steps"), STRING_MAP);
        for (String label : master.architecture().labels()) {
            double[] alpha = master.architecture().alpha(label);
            double[] saved = file.doubles().get("alpha/" + label);
            System.arraycopy(saved, 0, alpha, 0, alpha.length);
            if (adamSteps.containsKey(label)) {
                master.adam().restore(label, file.doubles().get("adam_m/" + label), file.doubles().get("adam_v/" + label),
                        Long.parseLong(adamSteps.get(label)));
            }
        }
        Map<String, double[]> lossState = new LinkedHashMap<>();
        file.doubles().forEach((name, values) -> {
            if (name.startsWith("loss/")) {
                lossState.put(name.substring("loss/".length()), values);
            }
        });
        loss.restore(lossState);
        return GSON.fromJson(file.metadata().get("position"), LoopPosition.class);
    }
}
