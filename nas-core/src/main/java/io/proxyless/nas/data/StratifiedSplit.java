package io.proxyless.nas.data;

import io.proxyless.nas.random.RandomStreams;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A seeded, class-stratified split into a weight part and an architecture part. NNI takes the first
 * and second halves unshuffled, which on a class-sorted dataset gives the two steps disjoint
 * classes; here every class is split in the same proportion.
 */
public final class StratifiedSplit {

    private final int[] weightIndices;
    private final int[] archIndices;

    private StratifiedSplit(int[] weightIndices, int[] archIndices) {
        this.weightIndices = weightIndices;
        this.archIndices = archIndices;
    }

    /**
     * @param weightPortion the share of each class that goes to the weight part
     */
    public static StratifiedSplit of(ImageDataset data, double weightPortion, long seed) {
        RandomGenerator random = RandomStreams.of(seed, RandomStreams.Purpose.DATA_SPLIT);
        TreeMap<Integer, List<Integer>> byClass = byClass(data, random);
        List<Integer> weight = new ArrayList<>();
        List<Integer> arch = new ArrayList<>();
        for (List<Integer> members : byClass.values()) {
            int cut = (int) Math.round(members.size() * weightPortion);
            weight.addAll(members.subList(0, cut));
            arch.addAll(members.subList(cut, members.size()));
        }
        RandomStreams.shuffle(weight, random);
        RandomStreams.shuffle(arch, random);
        return new StratifiedSplit(toArray(weight), toArray(arch));
    }

    /** A seeded, class-stratified sample of {@code limit} rows (all rows when limit >= size). */
    public static int[] sample(ImageDataset data, int limit, long seed) {
        if (limit >= data.size()) {
            int[] all = new int[data.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        RandomGenerator random = RandomStreams.of(seed, RandomStreams.Purpose.DATA_SAMPLE);
        TreeMap<Integer, List<Integer>> byClass = byClass(data, random);
        List<Integer> picked = new ArrayList<>();
        int remaining = limit;
        int classesLeft = byClass.size();
        for (List<Integer> members : byClass.values()) {
            int take = Math.min(members.size(), (remaining + classesLeft - 1) / classesLeft);
            picked.addAll(members.subList(0, take));
            remaining -= take;
            classesLeft--;
        }
        RandomStreams.shuffle(picked, random);
        return toArray(picked);
    }

    private static TreeMap<Integer, List<Integer>> byClass(ImageDataset data, RandomGenerator random) {
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            byClass.computeIfAbsent(data.label(i), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> members : byClass.values()) {
            RandomStreams.shuffle(members, random);
        }
        return byClass;
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    public int[] weightIndices() {
        return weightIndices.clone();
    }

    public int[] archIndices() {
        return archIndices.clone();
    }
}
