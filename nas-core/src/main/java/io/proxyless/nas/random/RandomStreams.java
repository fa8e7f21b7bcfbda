package io.proxyless.nas.random;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Every random stream of a search, derived from the run's seed, the stream's purpose and an index
 * (a step, an epoch, a shard) by a 64-bit hash. Streams of different purposes or indices are
 * independent and never collide the way {@code seed * 31 + epoch} does, and no stream has state to
 * carry from one step to the next: a step's numbers follow from the seed and the step's counters
 * alone, which is what a resumed run needs.
 */
public final class RandomStreams {

    /** What a stream is for; each purpose has its own streams. */
    public enum Purpose {
        WEIGHT_INIT,
        ARCHITECTURE_INIT,
        DATA_SAMPLE,
        DATA_SPLIT,
        WEIGHT_BATCHES,
        ARCHITECTURE_BATCHES,
        WEIGHT_PATHS,
        ARCHITECTURE_PATHS,
        ENGINE,
        AUGMENTATION
    }

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private RandomStreams() {}

    /** The generator of one stream. */
    public static SplittableRandom of(long seed, Purpose purpose, long... indices) {
        return new SplittableRandom(derive(seed, purpose, indices));
    }

    /** A 64-bit seed for one stream, e.g. for libtorch's generator. */
    public static long derive(long seed, Purpose purpose, long... indices) {
        long h = mix(seed + GOLDEN_GAMMA);
        h = mix(h ^ mix((purpose.ordinal() + 1) * GOLDEN_GAMMA));
        for (long index : indices) {
            h = mix(h + GOLDEN_GAMMA ^ mix(index + GOLDEN_GAMMA));
        }
        return h;
    }

    /** A 64-bit hash of a name (FNV-1a over its UTF-16 units), to index a stream by a string. */
    public static long hash(String name) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** Stafford's variant 13 of the 64-bit finaliser (SplitMix64's): every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly random permutation of {@code 0 .. n-1} (Fisher-Yates). */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    /** Shuffles in place (Fisher-Yates). */
    public static void shuffle(int[] values, RandomGenerator random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** Shuffles a list in place (Fisher-Yates); {@code Collections.shuffle} takes only a {@code java.util.Random}. */
    public static <T> void shuffle(List<T> values, RandomGenerator random) {
        for (int i = values.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = values.get(i);
            values.set(i, values.get(j));
            values.set(j, t);
        }
    }
}
