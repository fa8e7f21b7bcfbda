package io.proxyless.nas.mobilenet;

import java.io.Serializable;

/**
 * One layer of the space at its input shape, and its lookup key in the authors' table format:
 * {@code expanded_conv-input:HxWxC-output:HxWxC-expand:E-kernel:K-stride:S-idskip:I} for MBConvs,
 * {@code Conv-...} for the first conv, {@code Conv_1-...} for the feature mix and
 * {@code Logits-input:HxWxC-output:N} for pooling and classifier.
 */
public record OpShape(String kind, int inH, int inW, int inC, int outH, int outW, int outC,
        int expand, int kernel, int stride, boolean idskip) implements Serializable {

    public static final String MBCONV = "expanded_conv";
    public static final String FIRST_CONV = "Conv";
    public static final String FEATURE_MIX = "Conv_1";
    public static final String LOGITS = "Logits";

    public String key() {
        String input = "input:" + inH + "x" + inW + "x" + inC;
        return switch (kind) {
            case MBCONV -> MBCONV + "-" + input + "-output:" + outH + "x" + outW + "x" + outC
                    + "-expand:" + expand + "-kernel:" + kernel + "-stride:" + stride + "-idskip:" + (idskip ? 1 : 0);
            case LOGITS -> LOGITS + "-" + input + "-output:" + outC;
            default -> kind + "-" + input + "-output:" + outH + "x" + outW + "x" + outC;
        };
    }

    /**
     * The weights and batch-norm values the layer holds (4 per normalised channel): what building it
     * allocates, known before anything is built.
     */
    public long weights() {
        long norm = 4;
        return switch (kind) {
            case MBCONV -> {
                long mid = Math.round(inC * (float) expand);
                long expandWeights = expand == 1 ? 0 : (long) inC * mid + norm * mid;
                yield expandWeights + mid * kernel * kernel + norm * mid + mid * outC + norm * outC;
            }
            case LOGITS -> (long) inC * outC + outC;
            default -> (long) outC * inC * kernel * kernel + norm * outC;
        };
    }

    /** Multiply-accumulates of one sample, in millions. */
    public double megaMacs() {
        double macs;
        switch (kind) {
            case MBCONV -> {
                int mid = Math.round(inC * (float) expand);
                double expandMacs = expand == 1 ? 0 : (double) inH * inW * inC * mid;
                double depthwise = (double) outH * outW * mid * kernel * kernel;
                double project = (double) outH * outW * mid * outC;
                macs = expandMacs + depthwise + project;
            }
            case LOGITS -> macs = (double) inC * outC;
            default -> macs = (double) outH * outW * outC * inC * kernel * kernel;
        }
        return macs / 1e6;
    }
}
