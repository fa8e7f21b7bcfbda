package io.proxyless.spark.data;

import io.proxyless.nas.data.StratifiedSplit;

import java.io.Serializable;

/** The sort key of a row: class, then the seeded order of its content key, then the key (unsigned). */
record RowOrder(int label, long order, long key) implements Comparable<RowOrder>, Serializable {

    @Override
    public int compareTo(RowOrder o) {
        return StratifiedSplit.compare(label, order, key, o.label, o.order, o.key);
    }
}
