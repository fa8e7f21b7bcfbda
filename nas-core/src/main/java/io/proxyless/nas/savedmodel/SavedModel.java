package io.proxyless.nas.savedmodel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.data.FileSource;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.JsonDocument;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained child network as a folder on any Hadoop path:
 * <ul>
 *   <li>{@code model.safetensors}: every parameter and batch-norm buffer, by the supernet's names;</li>
 *   <li>{@code architecture.json}: the chosen candidates, as a search exports them;</li>
 *   <li>{@code synset.txt}: the class names, one per line, in index order (DJL's convention);</li>
 *   <li>{@code metrics.json}: how it scored;</li>
 *   <li>{@code model.onnx}: the network alone as ONNX ({@link OnnxExport}), for other runtimes;</li>
 *   <li>{@code model.json}: the space, input shape, normalisation, class names, and each file's
 *       size and SHA-256;</li>
 *   <li>{@code _SUCCESS}, written last.</li>
 * </ul>
 * Every file is written under a temporary name and renamed, and {@code _SUCCESS} comes last, so a
 * folder with {@code _SUCCESS} holds a whole model. Loading checks each file against {@code model.json}
 * and names what is missing, truncated or inconsistent.
 *
 * @param values the child's parameters and buffers by name
 * @param metrics anything JSON can hold, e.g. the test evaluation per epoch
 */
public record SavedModel(SpaceSpec space, Map<String, List<String>> architecture, Normalization normalization,
        List<String> classNames, Map<String, float[]> values, Map<String, Object> metrics)
        implements java.io.Serializable {

    public static final String MODEL = "model.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String ARCHITECTURE = ArchitectureExport.ARCHITECTURE;
    public static final String SYNSET = "synset.txt";
    public static final String METRICS = "metrics.json";
    public static final String FORMAT = "proxyless-spark-model";
    public static final int FORMAT_VERSION = 1;

    /** The most bytes a {@code model.json} may have: a space, up to some 100,000 class names and five files. */
    static final long MAX_MANIFEST_BYTES = 16L << 20;
    /** The most bytes of {@code architecture.json}, {@code synset.txt} or {@code metrics.json}. */
    static final long MAX_SIDE_FILE_BYTES = 64L << 20;
    /** The most values a model's supernet may hold, 1 GiB as floats: ten times the largest preset's and more. */
    public static final long MAX_SUPERNET_VALUES = 1L << 28;

    private static final Logger LOG = LoggerFactory.getLogger(SavedModel.class);

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Writes the folder; refuses one that already holds a finished model, so none is overwritten. */
    public void write(OutputFolder out) throws IOException {
        if (out.exists(OutputFolder.SUCCESS)) {
            throw new IllegalArgumentException(out.describe("") + " already holds a finished model (_SUCCESS); give"
                    + " another folder");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(WEIGHTS, SafeTensors.write(tensors(), Map.of("format", "pt")));
        files.put(ARCHITECTURE, ArchitectureExport.architectureJson(architecture).getBytes(StandardCharsets.UTF_8));
        files.put(SYNSET, (String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put(METRICS, (GSON.toJson(metrics) + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] onnx = onnxOrNull();
        if (onnx != null) {
            files.put(OnnxExport.FILE, onnx);
        }
        SearchSpace built = space.create();
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("format_version", FORMAT_VERSION);
        int[] input = built.inputShape();
        manifest.put("input_shape", List.of(input[0], input[1], input[2]));
        manifest.put("num_classes", built.numClasses());
        manifest.put("class_names", classNames);
        Map<String, Object> norm = new LinkedHashMap<>();
        norm.put("mean", floats(normalization.mean()));
        norm.put("std", floats(normalization.std()));
        manifest.put("normalization", norm);
        // The class and its parameters (for the built-in family, its model keys).
        manifest.put("space", space.toJson());
        Map<String, Object> listed = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            listed.put(f.getKey(), Map.of("bytes", f.getValue().length, "sha256", sha256(f.getValue())));
        }
        manifest.put("files", listed);
        files.put(MODEL, (GSON.toJson(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.writeAtomically(f.getKey(), f.getValue());
        }
        out.write(OutputFolder.SUCCESS, new byte[0]);
    }

    /**
     * The network as ONNX, or null (with the reason logged) when it cannot be exported: a block on its
     * path with no ONNX form (the model stays usable in this project, and {@code export} names the
     * block), or values that do not make the network (which loading refuses in turn).
     */
    private byte[] onnxOrNull() {
        try {
            return OnnxExport.toOnnx(this);
        } catch (IllegalArgumentException e) {
            LOG.warn("the model folder gets no {}: {}", OnnxExport.FILE, e.getMessage());
            return null;
        }
    }

    private Map<String, SafeTensors.Tensor> tensors() {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        try (Supernet shapes = Supernet.of(space.create())) {
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                tensors.put(e.getKey(), new SafeTensors.Tensor(shapes.info(e.getKey()).shape(), e.getValue()));
            }
        }
        return tensors;
    }

    /**
     * Reads and checks a model folder: {@code _SUCCESS}, then every file {@code model.json} lists
     * (present, of its size and hash), the architecture against the space, and each tensor against the
     * child's parameters (none missing, none extra, shapes equal). Errors name the folder and the file.
     */
    public static SavedModel load(FileSource folder) throws IOException {
        if (!folder.exists(OutputFolder.SUCCESS)) {
            throw new IllegalArgumentException(folder.describe("") + ": not a finished model folder (no _SUCCESS);"
                    + " was it written by retrain, and did retrain finish?");
        }
        String where = folder.describe(MODEL);
        Map<String, Object> manifest = JsonDocument.readObject(required(folder, MODEL, MAX_MANIFEST_BYTES),
                MAX_MANIFEST_BYTES, where);
        if (!FORMAT.equals(manifest.get("format"))) {
            throw new IllegalArgumentException(where + ": format is '" + manifest.get("format") + "', not " + FORMAT);
        }
        if (!(manifest.get("format_version") instanceof Integer v) || v > FORMAT_VERSION) {
            throw new IllegalArgumentException(where + ": format_version " + manifest.get("format_version")
                    + "; this build reads up to " + FORMAT_VERSION);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of(WEIGHTS, ARCHITECTURE, SYNSET, METRICS)) {
            Map<?, ?> listed = manifest.get("files") instanceof Map<?, ?> m && m.get(name) instanceof Map<?, ?> f ? f : null;
            if (listed == null) {
                throw new IllegalArgumentException(where + ": lists no " + name);
            }
            if (!(listed.get("bytes") instanceof Number declared) || !(listed.get("sha256") instanceof String)) {
                throw new IllegalArgumentException(where + ": files." + name + " needs 'bytes' (a number) and 'sha256'"
                        + " (a string)");
            }
            long bytes = declared.longValue();
            long limit = name.equals(WEIGHTS) ? Integer.MAX_VALUE - 8L : MAX_SIDE_FILE_BYTES;
            if (bytes < 0 || bytes > limit) {
                throw new IllegalArgumentException(where + ": files." + name + ".bytes is " + bytes + "; at most " + limit);
            }
            byte[] content = required(folder, name, bytes);
            if (bytes != content.length) {
                throw new IllegalArgumentException(folder.describe(name) + ": " + content.length + " bytes, but "
                        + MODEL + " says " + bytes + (content.length < bytes ? " (truncated)" : ""));
            }
            if (!sha256(content).equals(listed.get("sha256"))) {
                throw new IllegalArgumentException(folder.describe(name) + ": its SHA-256 differs from the one in "
                        + MODEL + " (the file changed after the model was written)");
            }
            files.put(name, content);
        }
        SpaceSpec space = spaceOf(manifest, where);
        SearchSpace built = space.create();
        List<String> classNames = List.of(new String(files.get(SYNSET), StandardCharsets.UTF_8).split("\n"));
        if (classNames.size() != built.numClasses()) {
            throw new IllegalArgumentException(folder.describe(SYNSET) + ": " + classNames.size()
                    + " class names for a space of " + built.numClasses() + " classes");
        }
        if (!(manifest.get("normalization") instanceof Map<?, ?> norm)) {
            throw new IllegalArgumentException(where + ": no 'normalization' with 'mean' and 'std'");
        }
        Normalization normalization = new Normalization(toFloats(norm.get("mean"), where + ": normalization.mean"),
                toFloats(norm.get("std"), where + ": normalization.std"));
        SafeTensors.Contents weights = SafeTensors.read(files.get(WEIGHTS), folder.describe(WEIGHTS));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, List<String>> architecture;
        try (Supernet supernet = Supernet.of(built)) {
            ChildArchitecture child = ChildArchitecture.parse(supernet.choices(),
                    new String(files.get(ARCHITECTURE), StandardCharsets.UTF_8), folder.describe(ARCHITECTURE));
            architecture = child.chosen();
            List<String> missing = new ArrayList<>();
            for (ParameterInfo info : child.parameters(supernet.parameterInfos())) {
                SafeTensors.Tensor t = weights.tensors().get(info.name());
                if (t == null) {
                    missing.add(info.name());
                    continue;
                }
                if (!java.util.Arrays.equals(t.shape(), info.shape())) {
                    throw new IllegalArgumentException(folder.describe(WEIGHTS) + ": tensor '" + info.name() + "' has shape "
                            + java.util.Arrays.toString(t.shape()) + ", the network needs "
                            + java.util.Arrays.toString(info.shape()));
                }
                values.put(info.name(), t.values());
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(folder.describe(WEIGHTS) + ": lacks " + missing.size()
                        + " tensors of the network, e.g. " + missing.subList(0, Math.min(3, missing.size())));
            }
            List<String> extra = weights.tensors().keySet().stream().filter(n -> !values.containsKey(n)).toList();
            if (!extra.isEmpty()) {
                throw new IllegalArgumentException(folder.describe(WEIGHTS) + ": holds " + extra.size()
                        + " tensors the network does not have, e.g. " + extra.subList(0, Math.min(3, extra.size())));
            }
        }
        Map<String, Object> metrics;
        metrics = JsonDocument.readObject(files.get(METRICS), MAX_SIDE_FILE_BYTES, folder.describe(METRICS));
        return new SavedModel(space, architecture, normalization, classNames, values, metrics);
    }

    /**
     * The space a manifest names: {@code space} (class and parameters), or, in folders written before
     * it, the built-in space's {@code model} keys. The built-in space's size is checked before it is
     * built, so an altered file cannot make this JVM allocate without bound.
     */
    private static SpaceSpec spaceOf(Map<String, Object> manifest, String where) {
        SpaceSpec space;
        if (manifest.get("space") instanceof Map<?, ?> json) {
            space = SpaceSpec.fromJson(GSON.toJsonTree(json).getAsJsonObject(), where + ", space");
        } else if (manifest.containsKey("model")) {
            space = ConfigLoader.readModel(manifest.get("model"), where + ", model").spec();
        } else {
            throw new IllegalArgumentException(where + ": names no space (no 'space' with 'class' and 'params')");
        }
        if (space.className().equals(MobileNetSpace.class.getName())) {
            long supernetValues = new MobileNetSpace(space.params()).layout().supernetWeights();
            if (supernetValues > MAX_SUPERNET_VALUES) {
                throw new IllegalArgumentException(where + ", space: the space's supernet would hold " + supernetValues
                        + " values, more than the " + MAX_SUPERNET_VALUES + " a model may have; the file is not this"
                        + " project's model, or was altered");
            }
        }
        return space;
    }

    private static byte[] required(FileSource folder, String name, long maxBytes) throws IOException {
        if (!folder.exists(name)) {
            throw new IllegalArgumentException(folder.describe(name) + ": missing from the model folder");
        }
        long length = folder.length(name);
        if (length > maxBytes) {
            throw new IllegalArgumentException(folder.describe(name) + ": " + length + " bytes, more than the "
                    + maxBytes + (name.equals(MODEL) ? " a model.json may have" : " that " + MODEL + " lists"));
        }
        try (InputStream in = folder.open(name)) {
            return in.readAllBytes();
        }
    }

    private static List<Double> floats(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }

    private static float[] toFloats(Object list, String where) {
        if (!(list instanceof List<?> items) || items.isEmpty() || items.size() > 3
                || !items.stream().allMatch(Number.class::isInstance)) {
            throw new IllegalArgumentException(where + " is not a list of 1 to 3 numbers: " + String.valueOf(list)
                    .substring(0, Math.min(80, String.valueOf(list).length())));
        }
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) items.get(i)).floatValue();
        }
        return out;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
