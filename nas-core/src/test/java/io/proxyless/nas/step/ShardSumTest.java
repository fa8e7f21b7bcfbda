package io.proxyless.nas.step;

import io.proxyless.nas.nn.BatchStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shard results summed in any arrival order and grouping give the same bits. */
class ShardSumTest {

    private static final int PARTITIONS = 7;

    @Test
    void anyOrderAndGroupingGivesTheSameBits() {
        StepResult reference = sumInOrder(shuffled(new Random(0)), 1);
        for (int trial = 1; trial < 30; trial++) {
            Random random = new Random(trial);
            StepResult other = sumInOrder(shuffled(random), 1 + random.nextInt(3));
            assertArrayEquals(reference.gradients().get("w"), other.gradients().get("w"), "trial " + trial);
            assertArrayEquals(reference.gateGradients().get("s0"), other.gateGradients().get("s0"), "trial " + trial);
            assertArrayEquals(reference.batchStats().get("bn").variance(), other.batchStats().get("bn").variance());
            assertEquals(reference.lossSum(), other.lossSum());
            assertEquals(PARTITIONS * 3L, other.count());
        }
        // Without the fixed order the same partials do not sum to the same bits: the test can tell.
        List<Float> sums = new ArrayList<>();
        for (int trial = 0; trial < 30; trial++) {
            float sum = 0;
            for (int p : shuffled(new Random(trial))) {
                sum += partial(p).gradients().get("w")[0];
            }
            sums.add(sum);
        }
        assertNotEquals(1, sums.stream().distinct().count(), "arrival-order sums all agree: " + sums);
    }

    @Test
    void aPartitionCountedTwiceIsAnError() {
        ShardSum sum = ShardSum.of(3, partial(3));
        assertThrows(IllegalStateException.class, () -> sum.merge(ShardSum.of(3, partial(3))));
    }

    /** Merges the shards in this order, in groups of {@code group} as executors would. */
    private static StepResult sumInOrder(List<Integer> order, int group) {
        ShardSum total = ShardSum.empty();
        for (int i = 0; i < order.size(); i += group) {
            ShardSum part = ShardSum.empty();
            for (int p : order.subList(i, Math.min(order.size(), i + group))) {
                part.merge(ShardSum.of(p, partial(p)));
            }
            total.merge(part);
        }
        return total.total();
    }

    private static List<Integer> shuffled(Random random) {
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            order.add(p);
        }
        Collections.shuffle(order, random);
        return order;
    }

    /** A shard's result with values of very different magnitudes, so that order matters. */
    private static StepResult partial(int shard) {
        Random random = new Random(100 + shard);
        float[] w = new float[64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
        }
        double[] gate = {random.nextGaussian(), random.nextGaussian() * 1e-7};
        BatchStats stats = new BatchStats(3, new double[] {random.nextGaussian()}, new double[] {random.nextDouble()});
        return new StepResult(Map.of("w", w), Map.of("s0", gate), Map.of("bn", stats), random.nextGaussian() * 1e3, 1, 3);
    }
}
