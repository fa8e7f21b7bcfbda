package io.proxyless.nas.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The seeded, class-stratified split of rows held in this JVM, by the same {@link SplitPlan} as the
 * distributed one: within each class rows are ordered by {@link RowKey#order} of (seed, content
 * key), the first share goes to the weight split. NNI takes the first and second halves
 * unshuffled, which on a class-sorted dataset gives the two steps disjoint classes.
 */
public final class StratifiedSplit {

    /** Orders rows within a class; equal keys are equal images, whose order among themselves changes nothing. */
    private static final Comparator<long[]> ORDER = (a, b) -> compare(a[0], a[1], a[2], b[0], b[1], b[2]);

    private StratifiedSplit() {}

    /** The order of rows (label, order, key): by label, then order and key as unsigned numbers. */
    public static int compare(long labelA, long orderA, long keyA, long labelB, long orderB, long keyB) {
        int c = Long.compare(labelA, labelB);
        if (c == 0) {
            c = Long.compareUnsigned(orderA, orderB);
        }
        return c != 0 ? c : Long.compareUnsigned(keyA, keyB);
    }

    /** {weight split, architecture split} of {@code all}, sampled to {@code limit} rows first (0: all). */
    public static ImageDataset[] of(ImageDataset all, List<String> classNames, int numClasses, int limit,
            double trainPortion, long seed) {
        SortedMap<Integer, Long> counts = new TreeMap<>();
        all.classCounts().forEach((c, n) -> counts.put(c, (long) n));
        SplitPlan plan = SplitPlan.of(counts, classNames, numClasses, limit, trainPortion);
        // {label, order, key, row}, sorted as the distributed path sorts them.
        List<long[]> rows = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            rows.add(new long[] {all.label(i), RowKey.order(seed, all.key(i)), all.key(i), i});
        }
        rows.sort(ORDER);
        int[][] indices = {new int[plan.size(SplitPlan.WEIGHT)], new int[plan.size(SplitPlan.ARCHITECTURE)]};
        int label = -1;
        long rank = 0;
        for (long[] row : rows) {
            rank = row[0] == label ? rank + 1 : 0;
            label = (int) row[0];
            int split = plan.splitOf(label, rank);
            if (split != SplitPlan.DROPPED) {
                indices[split][plan.rowOf(label, rank)] = (int) row[3];
            }
        }
        return new ImageDataset[] {all.subset(indices[0]), all.subset(indices[1])};
    }
}
