package io.proxyless.nas.onnx;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.protobuf.ByteString;
import io.proxyless.nas.onnx.proto.OnnxModel.AttributeProto;
import io.proxyless.nas.onnx.proto.OnnxModel.GraphProto;
import io.proxyless.nas.onnx.proto.OnnxModel.ModelProto;
import io.proxyless.nas.onnx.proto.OnnxModel.NodeProto;
import io.proxyless.nas.onnx.proto.OnnxModel.OperatorSetIdProto;
import io.proxyless.nas.onnx.proto.OnnxModel.StringStringEntryProto;
import io.proxyless.nas.onnx.proto.OnnxModel.TensorProto;
import io.proxyless.nas.onnx.proto.OnnxModel.TensorShapeProto;
import io.proxyless.nas.onnx.proto.OnnxModel.TypeProto;
import io.proxyless.nas.onnx.proto.OnnxModel.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX inference graph being written: blocks add their nodes and weights ({@link OnnxExportable}),
 * each named by its path in the model, and {@link #toModel} makes the file. The choices of the
 * network are pinned by the architecture it is built for; a choice asks {@link #chosen} which of its
 * candidates to write, so nothing of the search (choices, gates, zero branches) reaches the file.
 *
 * <p>Operators are those of the default ONNX domain at {@link #OPSET}.
 */
public final class OnnxGraph {

    /** The ONNX operator set the graph uses: Conv, Clip (min and max as inputs), Add, Gemm, ... */
    public static final int OPSET = 17;

    /** The IR version of the file: the one ONNX 1.12 introduced with opset 17. */
    public static final int IR_VERSION = 8;

    /**
     * The output of a block that outputs zeros (the {@code zero} candidate): no node computes it, and
     * {@link #add} drops it, so a skipped cell becomes its shortcut alone.
     */
    public static final String ZERO = "<zero>";

    private final Map<String, List<String>> architecture;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Deque<String> path = new ArrayDeque<>();
    private final Map<String, Integer> used = new HashMap<>();
    private final Map<Float, String> scalars = new HashMap<>();

    /** @param architecture the chosen candidates of every choice, by label */
    public OnnxGraph(Map<String, List<String>> architecture) {
        this.architecture = Map.copyOf(architecture);
    }

    /**
     * Adds {@code block}, a child called {@code name} of the block being written, and returns its
     * outputs.
     *
     * @throws UnsupportedBlockException when the block has no ONNX form, naming its path and class
     */
    public List<String> child(Block block, String name, List<String> inputs) {
        path.addLast(name);
        try {
            return export(block, inputs);
        } finally {
            path.removeLast();
        }
    }

    /** Adds the whole network, {@code block}, at the root of the paths, and returns its one output. */
    public String network(Block block, String input) {
        return single(export(block, List.of(input)));
    }

    /** {@link #child} for a block with one input and one output. */
    public String child(Block block, String name, String input) {
        path.addLast(name);
        try {
            return single(export(block, List.of(input)));
        } finally {
            path.removeLast();
        }
    }

    private List<String> export(Block block, List<String> inputs) {
        if (!(block instanceof OnnxExportable exportable)) {
            throw new UnsupportedBlockException(path(), "cannot export " + block.getClass().getName() + " at "
                    + (path.isEmpty() ? "the network's root" : path()) + " to ONNX: it has no ONNX form (it does not"
                    + " implement " + OnnxExportable.class.getSimpleName() + ")");
        }
        return exportable.toOnnx(this, inputs);
    }

    private String single(List<String> outputs) {
        if (outputs.size() != 1) {
            throw new UnsupportedBlockException(path(), "the block at " + (path.isEmpty() ? "the network's root" : path())
                    + " has " + outputs.size() + " outputs where one was expected");
        }
        return outputs.get(0);
    }

    /** The path of the block being written, e.g. {@code s2/body/k5e6/expand}. */
    public String path() {
        return String.join("/", path);
    }

    /** The candidates chosen for {@code label}, by name. */
    public List<String> chosen(String label) {
        List<String> chosen = architecture.get(label);
        if (chosen == null || chosen.isEmpty()) {
            throw new IllegalArgumentException("the architecture chooses nothing for '" + label + "' (at " + path()
                    + "); it chooses for " + architecture.keySet());
        }
        return chosen;
    }

    /** Adds a node of the default domain and returns the name of its one output. */
    public String node(String opType, List<String> inputs, AttributeProto... attributes) {
        String output = unique(opType);
        graph.addNode(NodeProto.newBuilder()
                .setName(output)
                .setOpType(opType)
                .addAllInput(inputs)
                .addOutput(output)
                .addAllAttribute(List.of(attributes)));
        return output;
    }

    /** Adds a float32 weight of shape {@code dims}, named for the block being written, and returns its name. */
    public String weight(String name, long[] dims, float[] values) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(path() + "/" + name + ": " + values.length + " values for shape "
                    + java.util.Arrays.toString(dims));
        }
        return initializer(unique(name), dims, values);
    }

    /** A parameter's current values (the loaded network's). */
    public float[] values(Parameter parameter) {
        return parameter.getArray().toFloatArray();
    }

    /** A float32 scalar, one initializer per value however often it is used. */
    public String scalar(float value) {
        return scalars.computeIfAbsent(value, v -> initializer("constant/" + v, new long[0], new float[] {v}));
    }

    private String initializer(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** {@code a + b}, where either may be {@link #ZERO}. */
    public String add(String a, String b) {
        if (ZERO.equals(a)) {
            return b;
        }
        if (ZERO.equals(b)) {
            return a;
        }
        return node("Add", List.of(a, b));
    }

    /** {@code min(max(x, low), high)}: ReLU6 is {@code clip(x, 0, 6)}. */
    public String clip(String x, float low, float high) {
        return node("Clip", List.of(x, scalar(low), scalar(high)));
    }

    /** Global average pooling to {@code [batch, channels]}: GlobalAveragePool, then Flatten. */
    public String globalAveragePool(String x) {
        return node("Flatten", List.of(node("GlobalAveragePool", List.of(x))), integer("axis", 1));
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }

    public static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    /**
     * The model file: one float32 input {@code input} of shape {@code [batch, inputShape...]} with a
     * dynamic batch axis, one output {@code output} of shape {@code [batch, outputShape...]} that the
     * graph's value {@code result} is renamed to, and {@code metadata} as the model's metadata properties.
     */
    public byte[] toModel(String inputName, long[] inputShape, String result, String outputName, long[] outputShape,
            Map<String, String> metadata, String producerVersion, String docString) {
        if (ZERO.equals(result)) {
            throw new UnsupportedBlockException("", "the exported network outputs zeros (a zero op with no shortcut"
                    + " around it); there is nothing to export");
        }
        GraphProto.Builder g = graph.clone();
        g.setName("proxyless_network");
        g.addNode(NodeProto.newBuilder().setName(outputName).setOpType("Identity").addInput(result)
                .addOutput(outputName));
        g.addInput(valueInfo(inputName, batched(inputShape)));
        g.addOutput(valueInfo(outputName, batched(outputShape)));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("proxyless-spark")
                .setProducerVersion(producerVersion)
                .setDomain("io.proxyless")
                .setModelVersion(1)
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g);
        new LinkedHashMap<>(metadata).forEach((key, value) ->
                model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build().toByteArray();
    }

    private static long[] batched(long[] shape) {
        long[] dims = new long[shape.length + 1];
        System.arraycopy(shape, 0, dims, 1, shape.length);
        return dims;
    }

    /** A float32 tensor whose first axis (0 here) is the dynamic {@code batch}. */
    private static ValueInfoProto valueInfo(String name, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            shape.addDim(i == 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private String unique(String name) {
        String base = path.isEmpty() ? name : path() + "/" + name;
        int n = used.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + n;
    }
}
