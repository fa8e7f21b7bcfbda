package io.proxyless.spark.data;

import org.apache.spark.Partitioner;

/**
 * Range-partitions {@link RowOrder}s without sampling: class-major, each class cut into
 * {@code 2^bits} ranges of its order, which is a uniform 64-bit hash. Partition {@code i} then holds
 * only keys below those of partition {@code i + 1}, so the sorted partitions in turn are the global
 * order, and a row's rank in its class is its global index minus the rows of the classes before.
 */
final class ClassOrderPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final int bits;

    ClassOrderPartitioner(int numClasses, int bits) {
        this.numClasses = numClasses;
        this.bits = bits;
    }

    /** Enough ranges for {@code wanted} partitions, up to 1024 per class. */
    static ClassOrderPartitioner atLeast(int numClasses, int wanted) {
        int bits = 0;
        while ((numClasses << bits) < wanted && bits < 10) {
            bits++;
        }
        return new ClassOrderPartitioner(numClasses, bits);
    }

    @Override
    public int numPartitions() {
        return numClasses << bits;
    }

    @Override
    public int getPartition(Object key) {
        RowOrder k = (RowOrder) key;
        return (k.label() << bits) | (bits == 0 ? 0 : (int) (k.order() >>> (64 - bits)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassOrderPartitioner p && p.numClasses == numClasses && p.bits == bits;
    }

    @Override
    public int hashCode() {
        return 31 * numClasses + bits;
    }
}
