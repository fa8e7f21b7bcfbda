package io.proxyless.nas.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.nn.HostBuffer;
import io.proxyless.nas.space.SearchSpace;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model containing choices, initialised once, with its parameters named and attributed to the
 * candidate that owns them. Any DJL block built with {@link LayerChoice} and
 * {@link io.proxyless.nas.choice.InputChoice} can be searched; the model author writes no NAS code.
 *
 * <p>The block's arrays are a cache: the driver's master copy is the truth and is written into
 * them before each step ({@link #load}), in place, so the block is built once per JVM.
 */
public final class Supernet implements AutoCloseable {

    private final Block block;
    private final NDManager manager;
    private final ComputeDevice device;
    private final Shape inputShape;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, ParameterInfo> infos = new LinkedHashMap<>();
    private final Map<Parameter, String> names = new java.util.IdentityHashMap<>();
    private final Map<String, Choice> choices = new LinkedHashMap<>();
    private final Map<String, FloatBuffer> hostValues = new LinkedHashMap<>();
    private final Map<String, List<String>> choicePaths = new LinkedHashMap<>();

    /**
     * @param block the model; it outputs logits
     * @param inputShape the shape of one input sample, without the batch axis
     */
    public Supernet(Block block, long... inputShape) {
        this(block, ComputeDevice.CPU, inputShape);
    }

    /**
     * @param block the model; it outputs logits
     * @param device where its arrays live and its forward passes run
     * @param inputShape the shape of one input sample, without the batch axis
     */
    public Supernet(Block block, ComputeDevice device, long... inputShape) {
        this.block = block;
        this.device = device;
        this.inputShape = new Shape(inputShape);
        manager = device.newManager();
        long[] batched = new long[inputShape.length + 1];
        batched[0] = 1;
        System.arraycopy(inputShape, 0, batched, 1, inputShape.length);
        // Values are overwritten by the master copy; DJL only needs some initializer to allocate.
        block.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(batched));
        walk(block, "", null, -1);
    }

    /** The supernet of a space, at the space's input shape. */
    public static Supernet of(SearchSpace space) {
        return of(space, ComputeDevice.CPU);
    }

    /**
     * The supernet of a space, at the space's input shape, on {@code device}, checked: it has a choice,
     * no two choices share a label, and each layer choice's candidates give one output shape.
     */
    public static Supernet of(SearchSpace space, ComputeDevice device) {
        int[] in = space.inputShape();
        if (in == null || in.length != 3) {
            throw new IllegalArgumentException("space " + space.getClass().getName()
                    + ": inputShape() must give channels, height and width, got " + java.util.Arrays.toString(in));
        }
        Supernet supernet = new Supernet(space.newSupernet(), device, in[0], in[1], in[2]);
        try {
            SpaceCheck.check(supernet, space.getClass().getName());
            return supernet;
        } catch (RuntimeException e) {
            supernet.close();
            throw e;
        }
    }

    private void walk(Block current, String prefix, String ownerLabel, int ownerCandidate) {
        for (Pair<String, Parameter> p : current.getDirectParameters()) {
            String name = prefix + p.getKey();
            Parameter parameter = p.getValue();
            if (parameters.containsKey(name)) {
                throw new IllegalArgumentException("two parameters are named '" + name + "' in the model");
            }
            parameters.put(name, parameter);
            names.put(parameter, name);
            infos.put(name, new ParameterInfo(
                    name, parameter.getArray().getShape().getShape(), kindOf(parameter), ownerLabel, ownerCandidate));
            hostValues.put(name, HostBuffer.pin(parameter.getArray()));
        }
        if (current instanceof Choice choice) {
            choicePaths.computeIfAbsent(choice.label(), l -> new ArrayList<>())
                    .add(prefix.isEmpty() ? "(the model)" : prefix.substring(0, prefix.length() - 1));
            Choice previous = choices.putIfAbsent(choice.label(), choice);
            if (previous != null && !previous.candidateNames().equals(choice.candidateNames())) {
                throw new IllegalArgumentException(
                        "choices labelled '" + choice.label() + "' have different candidates: "
                                + previous.candidateNames() + " and " + choice.candidateNames());
            }
        }
        int index = 0;
        List<String> childNames = childNames(current);
        for (Pair<String, Block> child : current.getChildren()) {
            String childName = childNames.get(index);
            String label = ownerLabel;
            int candidate = ownerCandidate;
            if (current instanceof LayerChoice choice && ownerLabel == null) {
                label = choice.label();
                candidate = index;
            }
            walk(child.getValue(), prefix + childName + ".", label, candidate);
            index++;
        }
    }

    /**
     * DJL keys children {@code 01Linear}, {@code 02Conv2d}, ...: the two-digit prefix is dropped
     * where the rest still tells siblings apart, and kept where it does not (three {@code Linear}s
     * side by side), so that no two parameters share a name.
     */
    private static List<String> childNames(Block block) {
        List<String> keys = block.getChildren().keys();
        List<String> stripped = keys.stream().map(k -> k.replaceFirst("^\\d{2}", "")).toList();
        return new java.util.HashSet<>(stripped).size() == stripped.size() ? stripped : keys;
    }

    private static ParameterInfo.Kind kindOf(Parameter parameter) {
        return switch (parameter.getType()) {
            case WEIGHT -> ParameterInfo.Kind.WEIGHT;
            case RUNNING_MEAN -> ParameterInfo.Kind.RUNNING_MEAN;
            case RUNNING_VAR -> ParameterInfo.Kind.RUNNING_VAR;
            default -> ParameterInfo.Kind.NO_DECAY;
        };
    }

    public Block block() {
        return block;
    }

    /** Where the block's arrays live: managers for its inputs are made here ({@link ComputeDevice#newManager}). */
    public ComputeDevice device() {
        return device;
    }

    public Shape inputShape() {
        return inputShape;
    }

    /** Choices by label, in model order. */
    public Map<String, Choice> choices() {
        return Collections.unmodifiableMap(choices);
    }

    /** Where each label's choices sit in the model (paths of blocks), in model order. */
    public Map<String, List<String>> choicePaths() {
        return Collections.unmodifiableMap(choicePaths);
    }

    /** Every parameter and buffer, in model order. */
    public List<ParameterInfo> parameterInfos() {
        return new ArrayList<>(infos.values());
    }

    public ParameterInfo info(String name) {
        return infos.get(name);
    }

    /** The parameter's name, e.g. to key batch statistics. */
    public String nameOf(Parameter parameter) {
        return names.get(parameter);
    }

    public Parameter parameter(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in the supernet");
        }
        return parameter;
    }

    /** Writes values into the block's arrays in place: a memory copy, no allocation, no native call. */
    public void load(Map<String, float[]> values) {
        for (Map.Entry<String, float[]> entry : values.entrySet()) {
            FloatBuffer target = hostValues.get(entry.getKey());
            if (target == null) {
                throw new IllegalArgumentException("no parameter named '" + entry.getKey() + "' in the supernet");
            }
            if (target.capacity() != entry.getValue().length) {
                throw new IllegalArgumentException("parameter '" + entry.getKey() + "' has " + target.capacity()
                        + " values, got " + entry.getValue().length);
            }
            target.put(0, entry.getValue());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
