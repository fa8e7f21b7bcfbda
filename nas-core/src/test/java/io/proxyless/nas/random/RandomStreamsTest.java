package io.proxyless.nas.random;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomStreamsTest {

    /**
     * {@code new Random(seed ^ 0x5DEECE66DL)} undid {@code Random}'s scrambling: seed 0 started at
     * state 0 and its first {@code nextDouble()} was 1.5e-11. Among 300 uniform first draws, one
     * below 1e-6 has probability 3e-4.
     */
    @Test
    void noSeedStartsADegenerateStream() {
        for (long seed = 0; seed < 300; seed++) {
            for (RandomStreams.Purpose purpose : RandomStreams.Purpose.values()) {
                double u = RandomStreams.of(seed, purpose, 0).nextDouble();
                assertTrue(u > 1e-6 && u < 1 - 1e-6, "seed " + seed + " " + purpose + " starts at " + u);
            }
        }
    }

    @Test
    void streamsOfDifferentSeedsPurposesAndIndicesAreDistinct() {
        Set<Long> seen = new HashSet<>();
        int count = 0;
        for (long seed = 0; seed < 20; seed++) {
            for (RandomStreams.Purpose purpose : RandomStreams.Purpose.values()) {
                for (long index = 0; index < 50; index++) {
                    seen.add(RandomStreams.derive(seed, purpose, index));
                    seen.add(RandomStreams.derive(seed, purpose, index, 1));
                    count += 2;
                }
            }
        }
        assertEquals(count, seen.size(), "collisions among derived seeds");
        // (seed, index) pairs with seed * 31 + index equal, and seed and index swapped.
        assertTrue(RandomStreams.derive(0, RandomStreams.Purpose.WEIGHT_BATCHES, 31)
                != RandomStreams.derive(1, RandomStreams.Purpose.WEIGHT_BATCHES, 0));
        assertTrue(RandomStreams.derive(2, RandomStreams.Purpose.WEIGHT_BATCHES, 3)
                != RandomStreams.derive(3, RandomStreams.Purpose.WEIGHT_BATCHES, 2));
        assertEquals(RandomStreams.derive(5, RandomStreams.Purpose.ENGINE, 7, 1),
                RandomStreams.derive(5, RandomStreams.Purpose.ENGINE, 7, 1), "a stream is a function of its key");
    }

    @Test
    void permutationsAreUniform() {
        int n = 4;
        int[][] counts = new int[n][n];
        int draws = 24_000;
        for (int i = 0; i < draws; i++) {
            int[] p = RandomStreams.permutation(n, RandomStreams.of(9, RandomStreams.Purpose.DATA_SPLIT, i));
            for (int position = 0; position < n; position++) {
                counts[position][p[position]]++;
            }
        }
        double expected = draws / (double) n;
        for (int[] row : counts) {
            for (int c : row) {
                assertEquals(expected, c, 5 * Math.sqrt(expected), "position counts");
            }
        }
    }
}
