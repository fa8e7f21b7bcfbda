package io.proxyless.nas.data;

import io.proxyless.nas.random.RandomStreams;

/**
 * A row's identity: a 64-bit hash of its decoded pixels. It depends on the content only, so the
 * same image gets the same key whether it came from IDX, a table or a PNG file, in any file layout
 * and partitioning; rows with equal keys and labels are the same image, and their order among
 * themselves changes nothing.
 */
public final class RowKey {

    private RowKey() {}

    /** The key of {@code length} bytes of {@code pixels} from {@code offset}. */
    public static long of(byte[] pixels, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = 0;
            for (int b = 7; b >= 0; b--) {
                v = (v << 8) | (pixels[offset + i + b] & 0xffL);
            }
            h = mix(h ^ v);
        }
        long tail = 0;
        for (int b = length - 1; b >= i; b--) {
            tail = (tail << 8) | (pixels[offset + b] & 0xffL);
        }
        return mix(h ^ tail ^ 0x632BE59BD9B4E019L);
    }

    /** Where a row falls in its class's seeded order: the split and the sample take rows in this order. */
    public static long order(long seed, long key) {
        return RandomStreams.derive(seed, RandomStreams.Purpose.DATA_SPLIT, key);
    }

    /** A row's share of a split's checksum: the sum over rows is independent of the order it is taken in. */
    public static long checksumTerm(int row, int label, long key) {
        return mix(mix(key + 0x9E3779B97F4A7C15L * (row + 1)) ^ label);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
