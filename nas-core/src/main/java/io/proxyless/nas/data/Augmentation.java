package io.proxyless.nas.data;

import io.proxyless.nas.random.RandomStreams;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The training augmentation of colour images (CIFAR's standard): a random crop of the image padded
 * by {@code padding} black pixels on each side, then a horizontal flip with probability 1/2. Each
 * row draws from its own stream of (step seed, row), so a retried task or another partition
 * layout sees the same pixels.
 */
public record Augmentation(int padding, boolean flip) implements Serializable {

    /** The usual CIFAR augmentation: padding 4 and flips. */
    public static Augmentation standard() {
        return new Augmentation(4, true);
    }

    /** None for grayscale spaces (Fashion-MNIST is searched without), the standard one for colour. */
    public static Augmentation forChannels(int channels) {
        return channels == 3 ? standard() : null;
    }

    /** Writes one augmented, normalised CHW image of {@code pixels} at {@code from} to {@code out} at {@code to}. */
    void apply(byte[] pixels, int from, float[] out, int to, int channels, int height, int width, float[] scale,
            float[] shift, long stepSeed, int row) {
        SplittableRandom random = RandomStreams.of(stepSeed, RandomStreams.Purpose.AUGMENTATION, row);
        int dy = random.nextInt(2 * padding + 1) - padding;
        int dx = random.nextInt(2 * padding + 1) - padding;
        boolean mirrored = flip && random.nextBoolean();
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float black = -shift[c];
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                int outRow = to + c * plane + y * width;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(out, outRow, outRow + width, black);
                    continue;
                }
                int inRow = from + c * plane + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (mirrored ? width - 1 - x : x) + dx;
                    out[outRow + x] = sx < 0 || sx >= width ? black : (pixels[inRow + sx] & 0xff) * scale[c] - shift[c];
                }
            }
        }
    }
}
