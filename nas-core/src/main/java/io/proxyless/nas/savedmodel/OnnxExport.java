package io.proxyless.nas.savedmodel;

import com.google.gson.Gson;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.onnx.OnnxGraph;
import io.proxyless.nas.space.SearchSpace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved model as an ONNX file ({@code model.onnx}): the child network alone, in evaluation mode,
 * with batch norm folded into the convolutions, ReLU6 as Clip, and the model's metadata (input shape,
 * normalisation, class names, architecture) as metadata properties, so that a consumer needs nothing
 * else. One float32 input {@code input}, NCHW with a dynamic batch axis, already normalised; one
 * output {@code logits}, {@code [batch, classes]}.
 */
public final class OnnxExport {

    public static final String FILE = "model.onnx";
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";

    /** How pixels become the input, as the metadata states it. */
    static final String INPUT_SCALING = "x = (pixel / 255 - mean[c]) / std[c], for 8-bit pixels, channels first (NCHW)";

    private static final Gson GSON = new Gson();

    private OnnxExport() {}

    /**
     * The model's ONNX bytes.
     *
     * @throws io.proxyless.nas.onnx.UnsupportedBlockException when a block on the network's path has
     *     no ONNX form, naming its path
     * @throws IllegalArgumentException when the architecture does not fit the space, or a tensor of the
     *     network is missing
     */
    public static byte[] toOnnx(SavedModel model) {
        SearchSpace space = model.space().create();
        try (Supernet supernet = Supernet.of(space)) {
            ChildArchitecture child = ChildArchitecture.of(supernet.choices(), model.architecture(), "the model");
            List<String> missing = child.parameters(supernet.parameterInfos()).stream().map(ParameterInfo::name)
                    .filter(name -> !model.values().containsKey(name)).toList();
            if (!missing.isEmpty()) {
                // Left out, they would be written with the supernet's initial values.
                throw new IllegalArgumentException("the model lacks " + missing.size() + " tensors of its network, e.g. "
                        + missing.subList(0, Math.min(3, missing.size())) + "; nothing to export");
            }
            supernet.load(model.values());
            OnnxGraph graph = new OnnxGraph(model.architecture());
            String logits = graph.network(supernet.block(), INPUT);
            int[] shape = space.inputShape();
            return graph.toModel(INPUT, new long[] {shape[0], shape[1], shape[2]}, logits, OUTPUT,
                    new long[] {space.numClasses()}, metadata(model, shape), version(), "A network found by proxyless-spark's"
                            + " search and retrained: " + model.architecture());
        }
    }

    /** The metadata properties: every value a string, lists and maps as JSON. */
    static Map<String, String> metadata(SavedModel model, int[] shape) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("input_name", INPUT);
        metadata.put("output_name", OUTPUT);
        metadata.put("input_shape", GSON.toJson(List.of(shape[0], shape[1], shape[2])));
        metadata.put("input_layout", "NCHW");
        metadata.put("input_scaling", INPUT_SCALING);
        metadata.put("mean", GSON.toJson(model.normalization().mean()));
        metadata.put("std", GSON.toJson(model.normalization().std()));
        metadata.put("class_names", GSON.toJson(model.classNames()));
        metadata.put("output", "logits, one per class in class_names order (softmax for probabilities)");
        metadata.put("architecture", GSON.toJson(model.architecture()));
        metadata.put("opset", Integer.toString(OnnxGraph.OPSET));
        metadata.put("folded", "batch norm folded into each convolution's weights and bias; ReLU6 as Clip(0, 6)");
        return metadata;
    }

    private static String version() {
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
