package io.proxyless.nas.train;

import java.util.Random;

/** Cycles through a split in seeded random batches, reshuffling after each pass. */
final class BatchOrder {

    private final int size;
    private final int batch;
    private final Random random;
    private int[] order;
    private int position;

    BatchOrder(int size, int batch, long seed) {
        this.size = size;
        this.batch = batch;
        this.random = new Random(seed);
        this.order = permutation(size, random);
    }

    int[] next() {
        if (position + batch > size) {
            order = permutation(size, random);
            position = 0;
        }
        int[] rows = java.util.Arrays.copyOfRange(order, position, position + batch);
        position += batch;
        return rows;
    }

    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
