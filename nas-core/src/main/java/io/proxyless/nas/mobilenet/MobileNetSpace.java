package io.proxyless.nas.mobilenet;

import ai.djl.nn.Block;
import io.proxyless.nas.nn.NormConfig;
import io.proxyless.nas.space.SearchSpace;
import io.proxyless.nas.space.SpaceParams;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in space, ProxylessNAS's MobileNetV2 family, all of it configuration: one
 * {@link SearchSpace} among any. Its parameters are the {@code model} section's keys
 * ({@code width_stages}, {@code candidate_ops}, ...). Defaults: the 28x28x1 plan (Fashion-MNIST) of
 * the spec, six cells labelled {@code s0}..{@code s5}.
 */
public final class MobileNetSpace implements SearchSpace, Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] inputShape;
    private final int numClasses;
    private final int firstConvChannels;
    private final int firstConvStride;
    private final int firstBlockChannels;
    private final int[] widthStages;
    private final int[] nCellStages;
    private final int[] strideStages;
    private final List<String> candidateOps;
    private final boolean zeroOp;
    private final int featureMixChannels;
    private final float dropoutRate;
    private final NormConfig norm;

    private MobileNetSpace(Builder b) {
        inputShape = b.inputShape.clone();
        numClasses = b.numClasses;
        firstConvChannels = b.firstConvChannels;
        firstConvStride = b.firstConvStride;
        firstBlockChannels = b.firstBlockChannels;
        widthStages = b.widthStages.clone();
        nCellStages = b.nCellStages.clone();
        strideStages = b.strideStages.clone();
        candidateOps = List.copyOf(b.candidateOps);
        zeroOp = b.zeroOp;
        featureMixChannels = b.featureMixChannels;
        dropoutRate = b.dropoutRate;
        norm = b.norm;
        validate();
    }

    /** The space of {@code model} keys; errors name the key. */
    public MobileNetSpace(SpaceParams params) {
        this(read(params.requireOnly(Keys.ALL)).toBuilder());
    }

    /** Every parameter's name: the ones {@link #params()} writes, computed once. */
    private static final class Keys {
        static final String[] ALL = fashionMnist().params().keys().toArray(String[]::new);
    }

    private static MobileNetSpace read(SpaceParams p) {
        MobileNetSpace d = MobileNetSpace.fashionMnist();
        NormConfig norm = d.norm();
        return MobileNetSpace.builder()
                .optInputShape(p.integers("input_shape", d.inputShape()))
                .optNumClasses(p.integer("num_classes", d.numClasses()))
                .optFirstConv(p.integer("first_conv_channels", d.firstConvChannels()),
                        p.integer("first_conv_stride", d.firstConvStride()))
                .optFirstBlockChannels(p.integer("first_block_channels", d.firstBlockChannels()))
                .optStages(p.integers("width_stages", d.widthStages()), p.integers("n_cell_stages", d.nCellStages()),
                        p.integers("stride_stages", d.strideStages()))
                .optCandidateOps(p.strings("candidate_ops", d.candidateOps()))
                .optZeroOp(p.bool("zero_op", d.zeroOp()))
                .optFeatureMixChannels(p.integer("feature_mix_channels", d.featureMixChannels()))
                .optDropoutRate((float) p.number("dropout_rate", d.dropoutRate()))
                .optNorm(new NormConfig(p.bool("batch_norm", norm.enabled()),
                        (float) p.number("bn_momentum", norm.momentum()), (float) p.number("bn_eps", norm.eps())))
                .build();
    }

    /** The shapes of every layer: what the op-keyed latency tables price. */
    public SpaceLayout layout() {
        return new SpaceLayout(this);
    }

    @Override
    public Block newSupernet() {
        return new ProxylessSpace(this);
    }

    @Override
    public SpaceParams params() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("input_shape", list(inputShape));
        values.put("num_classes", numClasses);
        values.put("first_conv_channels", firstConvChannels);
        values.put("first_conv_stride", firstConvStride);
        values.put("first_block_channels", firstBlockChannels);
        values.put("width_stages", list(widthStages));
        values.put("n_cell_stages", list(nCellStages));
        values.put("stride_stages", list(strideStages));
        values.put("candidate_ops", candidateOps);
        values.put("zero_op", zeroOp);
        values.put("feature_mix_channels", featureMixChannels);
        values.put("dropout_rate", decimal(dropoutRate));
        values.put("batch_norm", norm.enabled());
        values.put("bn_momentum", decimal(norm.momentum()));
        values.put("bn_eps", decimal(norm.eps()));
        return SpaceParams.of(values);
    }

    private static List<Integer> list(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** A float as the decimal it was written as (0.1f as 0.1, not 0.10000000149). */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private void validate() {
        if (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(
                    "input_shape: expected [channels, height, width] > 0, got " + Arrays.toString(inputShape));
        }
        positive("num_classes", numClasses);
        positive("first_conv_channels", firstConvChannels);
        positive("first_conv_stride", firstConvStride);
        positive("first_block_channels", firstBlockChannels);
        if (widthStages.length == 0
                || widthStages.length != nCellStages.length
                || widthStages.length != strideStages.length) {
            throw new IllegalArgumentException(
                    "width_stages, n_cell_stages and stride_stages need the same non-zero length, got "
                            + widthStages.length + ", " + nCellStages.length + ", " + strideStages.length);
        }
        for (int i = 0; i < widthStages.length; i++) {
            positive("width_stages[" + i + "]", widthStages[i]);
            positive("n_cell_stages[" + i + "]", nCellStages[i]);
            positive("stride_stages[" + i + "]", strideStages[i]);
        }
        if (candidateOps.isEmpty()) {
            throw new IllegalArgumentException("candidate_ops: at least one candidate is needed");
        }
        for (String op : candidateOps) {
            if (CandidateOp.parse(op, "candidate_ops").isZero()) {
                throw new IllegalArgumentException(
                        "candidate_ops: 'zero' is added by the space to every cell that can skip; set zero_op instead");
            }
        }
        if (featureMixChannels < 0) {
            throw new IllegalArgumentException("feature_mix_channels: must be >= 0, got " + featureMixChannels);
        }
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout_rate: must be in [0, 1), got " + dropoutRate);
        }
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + ": must be > 0, got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default 28x28 grayscale plan. */
    public static MobileNetSpace fashionMnist() {
        return builder().build();
    }

    /** A 32x32 RGB plan (CIFAR-10). */
    public static MobileNetSpace cifar10() {
        return builder()
                .optInputShape(3, 32, 32)
                .optFirstConv(32, 1)
                .optFirstBlockChannels(16)
                .optStages(new int[] {24, 40, 80, 96, 192}, new int[] {2, 2, 2, 2, 2}, new int[] {1, 2, 2, 1, 2})
                .optFeatureMixChannels(640)
                .build();
    }

    /** The paper's ImageNet plan: 21 cells. */
    public static MobileNetSpace imagenet() {
        return builder()
                .optInputShape(3, 224, 224)
                .optNumClasses(1000)
                .optFirstConv(32, 2)
                .optFirstBlockChannels(16)
                .optStages(
                        new int[] {24, 40, 80, 96, 192, 320},
                        new int[] {4, 4, 4, 4, 4, 1},
                        new int[] {2, 2, 2, 1, 2, 1})
                .optFeatureMixChannels(1280)
                .build();
    }

    /** A preset by name: {@code fashion-mnist}, {@code cifar10} or {@code imagenet}. */
    public static MobileNetSpace preset(String name) {
        return switch (name) {
            case "fashion-mnist", "mnist" -> fashionMnist();
            case "cifar10" -> cifar10();
            case "imagenet" -> imagenet();
            default -> throw new IllegalArgumentException(
                    "space: unknown preset '" + name + "'; expected fashion-mnist, cifar10 or imagenet");
        };
    }

    public Builder toBuilder() {
        return builder()
                .optInputShape(inputShape[0], inputShape[1], inputShape[2])
                .optNumClasses(numClasses)
                .optFirstConv(firstConvChannels, firstConvStride)
                .optFirstBlockChannels(firstBlockChannels)
                .optStages(widthStages, nCellStages, strideStages)
                .optCandidateOps(candidateOps)
                .optZeroOp(zeroOp)
                .optFeatureMixChannels(featureMixChannels)
                .optDropoutRate(dropoutRate)
                .optNorm(norm);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MobileNetSpace c
                && Arrays.equals(inputShape, c.inputShape)
                && numClasses == c.numClasses
                && firstConvChannels == c.firstConvChannels
                && firstConvStride == c.firstConvStride
                && firstBlockChannels == c.firstBlockChannels
                && Arrays.equals(widthStages, c.widthStages)
                && Arrays.equals(nCellStages, c.nCellStages)
                && Arrays.equals(strideStages, c.strideStages)
                && candidateOps.equals(c.candidateOps)
                && zeroOp == c.zeroOp
                && featureMixChannels == c.featureMixChannels
                && dropoutRate == c.dropoutRate
                && norm.equals(c.norm);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(inputShape), numClasses, Arrays.hashCode(widthStages),
                Arrays.hashCode(nCellStages), candidateOps, featureMixChannels, norm);
    }

    /** Number of searchable cells. */
    public int numCells() {
        return Arrays.stream(nCellStages).sum();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    public int firstConvChannels() {
        return firstConvChannels;
    }

    public int firstConvStride() {
        return firstConvStride;
    }

    public int firstBlockChannels() {
        return firstBlockChannels;
    }

    public int[] widthStages() {
        return widthStages.clone();
    }

    public int[] nCellStages() {
        return nCellStages.clone();
    }

    public int[] strideStages() {
        return strideStages.clone();
    }

    public List<String> candidateOps() {
        return candidateOps;
    }

    public boolean zeroOp() {
        return zeroOp;
    }

    public int featureMixChannels() {
        return featureMixChannels;
    }

    public float dropoutRate() {
        return dropoutRate;
    }

    public NormConfig norm() {
        return norm;
    }

    /** Builds a {@link MobileNetSpace}; every setting is optional and defaults to the 28x28 plan. */
    public static final class Builder {
        private int[] inputShape = {1, 28, 28};
        private int numClasses = 10;
        private int firstConvChannels = 16;
        private int firstConvStride = 1;
        private int firstBlockChannels = 16;
        private int[] widthStages = {24, 40, 80};
        private int[] nCellStages = {2, 2, 2};
        private int[] strideStages = {2, 2, 1};
        private List<String> candidateOps =
                List.of("k3e3", "k3e6", "k5e3", "k5e6", "k7e3", "k7e6");
        private boolean zeroOp = true;
        private int featureMixChannels = 160;
        private float dropoutRate = 0f;
        private NormConfig norm = NormConfig.defaults();

        public Builder optInputShape(int channels, int height, int width) {
            inputShape = new int[] {channels, height, width};
            return this;
        }

        public Builder optInputShape(int[] shape) {
            inputShape = shape.clone();
            return this;
        }

        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public Builder optFirstConv(int channels, int stride) {
            firstConvChannels = channels;
            firstConvStride = stride;
            return this;
        }

        public Builder optFirstBlockChannels(int channels) {
            firstBlockChannels = channels;
            return this;
        }

        public Builder optStages(int[] widths, int[] cells, int[] strides) {
            widthStages = widths.clone();
            nCellStages = cells.clone();
            strideStages = strides.clone();
            return this;
        }

        public Builder optCandidateOps(List<String> ops) {
            candidateOps = new ArrayList<>(ops);
            return this;
        }

        public Builder optZeroOp(boolean zeroOp) {
            this.zeroOp = zeroOp;
            return this;
        }

        public Builder optFeatureMixChannels(int channels) {
            featureMixChannels = channels;
            return this;
        }

        public Builder optDropoutRate(float rate) {
            dropoutRate = rate;
            return this;
        }

        public Builder optNorm(NormConfig norm) {
            this.norm = norm;
            return this;
        }

        public MobileNetSpace build() {
            return new MobileNetSpace(this);
        }
    }
}
