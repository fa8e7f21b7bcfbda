package io.proxyless.nas.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0, 1]. Computed from exact
 * integer sums of 8-bit pixels ({@link PixelSums}), so the result is the same for any partitioning.
 */
public record Normalization(float[] mean, float[] std) implements Serializable {

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean has " + mean.length + " channels, std " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("every std must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** These values for {@code channels} channels: one value stands for every channel. */
    public Normalization forChannels(int channels, String option) {
        if (mean.length == channels) {
            return this;
        }
        if (mean.length == 1) {
            float[] m = new float[channels];
            float[] s = new float[channels];
            Arrays.fill(m, mean[0]);
            Arrays.fill(s, std[0]);
            return new Normalization(m, s);
        }
        throw new IllegalArgumentException(option + " has " + mean.length + " channels but the space's input has "
                + channels);
    }

    /** For run.json. */
    public Map<String, Object> describe(String how) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("mean", toList(mean));
        info.put("std", toList(std));
        info.put("from", how);
        return info;
    }

    private static List<Float> toList(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }
}
