package io.proxyless.nas.data;


import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which row goes where, from class counts alone. Within each class rows are ranked by
 * {@link RowKey#order}; the first {@code kept} of a class are used (a stratified sample when
 * {@code dataset.limit} is set, else all), and the first {@code round(kept * train_portion)} of those
 * form the weight split. A split's rows are numbered class after class, in rank order. The driver
 * computes the plan from counts; executors place their rows with it; the in-process path uses the
 * same plan, so every path gives the same splits.
 */
public final class SplitPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where a row goes: {@link #WEIGHT}, {@link #ARCHITECTURE}, or {@link #DROPPED} by the sample. */
    public static final int WEIGHT = 0;
    public static final int ARCHITECTURE = 1;
    public static final int DROPPED = -1;

    private final int numClasses;
    private final long[] kept;
    private final long[] weightCut;
    private final long[] weightOffset;
    private final long[] archOffset;
    private final long weightSize;
    private final long archSize;

    private SplitPlan(int numClasses, long[] kept, long[] weightCut) {
        this.numClasses = numClasses;
        this.kept = kept;
        this.weightCut = weightCut;
        weightOffset = new long[numClasses];
        archOffset = new long[numClasses];
        long w = 0;
        long a = 0;
        for (int c = 0; c < numClasses; c++) {
            weightOffset[c] = w;
            archOffset[c] = a;
            w += weightCut[c];
            a += kept[c] - weightCut[c];
        }
        weightSize = w;
        archSize = a;
    }

    /**
     * @param counts rows per class index (classes without rows may be absent)
     * @param classNames names by class index, for messages
     * @param limit rows to keep in all, as a stratified sample (0: all)
     */
    public static SplitPlan of(SortedMap<Integer, Long> counts, List<String> classNames, int numClasses, int limit,
            double trainPortion) {
        long[] kept = new long[numClasses];
        long total = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            kept[e.getKey()] = e.getValue();
            total += e.getValue();
        }
        if (limit > 0 && limit < total) {
            // Classes in index order, each taking an equal share of what is left (a small class gives its rest on).
            long remaining = limit;
            int classesLeft = counts.size();
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                long take = Math.min(e.getValue(), (remaining + classesLeft - 1) / classesLeft);
                kept[e.getKey()] = take;
                remaining -= take;
                classesLeft--;
            }
        }
        long[] cut = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            if (kept[c] == 0) {
                continue;
            }
            cut[c] = Math.round(kept[c] * trainPortion);
            if (cut[c] == 0 || cut[c] == kept[c]) {
                throw new BadDataException("class '" + classNames.get(c) + "' (index " + c + ") has " + kept[c]
                        + " rows" + (limit > 0 ? " after " + "dataset.limit (--limit)" + " " + limit : "")
                        + ": too few for both the weight and the architecture split at "
                        + "dataset.train_portion (--train-portion)" + " " + trainPortion + "; it needs at least "
                        + Math.max(2, (int) Math.ceil(Math.max(1 / trainPortion, 1 / (1 - trainPortion)))));
            }
        }
        return new SplitPlan(numClasses, kept, cut);
    }

    /** The split of the row of class {@code label} that is {@code rank}-th in its class's order. */
    public int splitOf(int label, long rank) {
        return rank < weightCut[label] ? WEIGHT : rank < kept[label] ? ARCHITECTURE : DROPPED;
    }

    /** The row's number within its split; only for rows not {@link #DROPPED}. */
    public int rowOf(int label, long rank) {
        return (int) (rank < weightCut[label] ? weightOffset[label] + rank : archOffset[label] + rank - weightCut[label]);
    }

    public int size(int split) {
        return (int) (split == WEIGHT ? weightSize : archSize);
    }

    public int numClasses() {
        return numClasses;
    }

    /** Rows per class of one split, classes without rows left out. */
    public SortedMap<Integer, Integer> classCounts(int split) {
        SortedMap<Integer, Integer> counts = new TreeMap<>();
        for (int c = 0; c < numClasses; c++) {
            long n = split == WEIGHT ? weightCut[c] : kept[c] - weightCut[c];
            if (n > 0) {
                counts.put(c, (int) n);
            }
        }
        return counts;
    }
}
