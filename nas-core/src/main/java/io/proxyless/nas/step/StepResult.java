package io.proxyless.nas.step;

import io.proxyless.nas.nn.BatchStats;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker's contribution to a step: gradients of the sampled path, gate gradients, batch-norm
 * statistics and loss/accuracy sums. Results of disjoint shards of a batch {@link #merge} into the
 * result of the whole batch; this is what executors send back to the driver.
 */
public final class StepResult implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, float[]> gradients;
    private final Map<String, double[]> gateGradients;
    private final Map<String, BatchStats> batchStats;
    private final java.util.TreeSet<String> workers = new java.util.TreeSet<>();
    private double lossSum;
    private long correct;
    private long count;
    private long maxComputeNanos;

    public StepResult(
            Map<String, float[]> gradients,
            Map<String, double[]> gateGradients,
            Map<String, BatchStats> batchStats,
            double lossSum,
            long correct,
            long count) {
        this.gradients = new LinkedHashMap<>(gradients);
        this.gateGradients = new LinkedHashMap<>(gateGradients);
        this.batchStats = new LinkedHashMap<>(batchStats);
        this.lossSum = lossSum;
        this.correct = correct;
        this.count = count;
    }

    /** The neutral element of {@link #merge}. */
    public static StepResult empty() {
        return new StepResult(Map.of(), Map.of(), Map.of(), 0, 0, 0);
    }

    /** Adds another shard's result into this one and returns this. */
    public StepResult merge(StepResult other) {
        other.gradients.forEach((name, grad) -> gradients.merge(name, grad.clone(), StepResult::addInto));
        other.gateGradients.forEach((label, grad) -> gateGradients.merge(label, grad.clone(), StepResult::addInto));
        other.batchStats.forEach((name, stats) -> batchStats.merge(name, stats, BatchStats::merge));
        lossSum += other.lossSum;
        correct += other.correct;
        count += other.count;
        workers.addAll(other.workers);
        maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
        return this;
    }

    private static float[] addInto(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    private static double[] addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** Records who computed this shard and for how long (for run.json and the benchmarks). */
    public StepResult withWorker(String worker, long computeNanos) {
        workers.add(worker);
        maxComputeNanos = Math.max(maxComputeNanos, computeNanos);
        return this;
    }

    /** Identifiers of the workers (executors) that computed shards of this step. */
    public java.util.Set<String> workers() {
        return workers;
    }

    /** The longest shard computation of this step. */
    public long maxComputeNanos() {
        return maxComputeNanos;
    }

    /** Gradients of the mean loss over the global batch, by parameter name. */
    public Map<String, float[]> gradients() {
        return gradients;
    }

    /** {@code dL/dg} by label, one value per candidate. */
    public Map<String, double[]> gateGradients() {
        return gateGradients;
    }

    /** Batch statistics by running-mean parameter name. */
    public Map<String, BatchStats> batchStats() {
        return batchStats;
    }

    /** Sum over the samples seen of their cross-entropy. */
    public double lossSum() {
        return lossSum;
    }

    /** Samples classified correctly (top-1). */
    public long correct() {
        return correct;
    }

    /** Mean loss over the samples seen (without any latency term). */
    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    public long count() {
        return count;
    }

    /** Bytes of gradient payload, for the benchmarks' traffic figures. */
    public long payloadBytes() {
        long bytes = 0;
        for (float[] g : gradients.values()) {
            bytes += 4L * g.length;
        }
        for (double[] g : gateGradients.values()) {
            bytes += 8L * g.length;
        }
        for (BatchStats s : batchStats.values()) {
            bytes += 16L * s.mean().length + 8;
        }
        return bytes;
    }
}
