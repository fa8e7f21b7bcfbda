package io.proxyless.nas.step;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sum of shards' step results ({@link ShardedBatch}), added in one fixed order whatever order
 * they arrive in.
 *
 * <p>Spark's {@code treeAggregate} combines partial results as tasks finish, and float addition is
 * not associative: summed in arrival order, two runs of the same seed would drift apart. Here results
 * combine only along a fixed binary tree over shard indices: a partial covers an aligned block
 * {@code [start, start + size)} with {@code size} a power of two, and two blocks combine, left then
 * right, only when they are the two halves of their parent. Whatever the arrival order and grouping,
 * the same blocks form, the same additions happen, and {@link #total} adds the remaining maximal
 * blocks in index order: a step's result is bit-for-bit the same in every run, and the same whichever
 * tasks or how many partitions computed the shards.
 */
public final class ShardSum implements Serializable {

    private static final long serialVersionUID = 1L;

    private record Block(int size, StepResult sum) implements Serializable {}

    private final TreeMap<Integer, Block> blocks = new TreeMap<>();

    /** The neutral element: no shard yet. */
    public static ShardSum empty() {
        return new ShardSum();
    }

    /** One shard's result. */
    public static ShardSum of(int shard, StepResult result) {
        ShardSum sum = new ShardSum();
        sum.insert(shard, new Block(1, result));
        return sum;
    }

    /** Adds another sum's blocks into this one (they must cover other shards) and returns this. */
    public ShardSum merge(ShardSum other) {
        other.blocks.forEach(this::insert);
        return this;
    }

    private void insert(int start, Block block) {
        while (true) {
            boolean isLeft = (start / block.size()) % 2 == 0;
            int siblingStart = isLeft ? start + block.size() : start - block.size();
            Block sibling = blocks.get(siblingStart);
            if (sibling == null || sibling.size() != block.size()) {
                if (blocks.putIfAbsent(start, block) != null) {
                    throw new IllegalStateException("shard " + start + " counted twice in one step");
                }
                return;
            }
            blocks.remove(siblingStart);
            StepResult left = isLeft ? block.sum() : sibling.sum();
            StepResult right = isLeft ? sibling.sum() : block.sum();
            start = Math.min(start, siblingStart);
            block = new Block(2 * block.size(), left.merge(right));
        }
    }

    /** The step's result over every shard added so far. */
    public StepResult total() {
        StepResult total = StepResult.empty();
        for (Map.Entry<Integer, Block> entry : blocks.entrySet()) {
            total.merge(entry.getValue().sum());
        }
        return total;
    }
}
