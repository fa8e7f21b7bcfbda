package io.proxyless.spark.step.driver;

import io.proxyless.nas.train.ShardSum;
import io.proxyless.spark.step.TaskOrder;
import io.proxyless.spark.step.TaskReport;
import io.proxyless.spark.step.Wire;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The driver's side of the conversation with long-running step tasks, without Spark in it. A task
 * reports (joining, a finished step, or still waiting) and is answered when there is work for it. The
 * rule that makes retries safe: a partition that has not yet reported the current step is given it
 * on any report, so a retried task, or one whose answer was lost, computes it again; a result is
 * kept once per partition and step.
 */
final class StepMailbox {

    private static final byte[] STOP = Wire.encode(TaskOrder.stop());

    private final int partitions;
    private final List<Consumer<byte[]>> waiting = new ArrayList<>();
    private final TreeMap<Integer, ShardSum> results = new TreeMap<>();
    private long sequence = -1;
    private byte[] current;
    private boolean stopping;
    private long lastReportNanos = System.nanoTime();

    /** @param partitions the partitions that hold shards, 0 to {@code partitions - 1} */
    StepMailbox(int partitions) {
        this.partitions = partitions;
    }

    /** A task's report; {@code answer} is called, now or later, with its next order, encoded. */
    synchronized void report(TaskReport report, Consumer<byte[]> answer) {
        int p = report.partition();
        if (p < 0 || p >= partitions) {
            answer.accept(STOP);
            return;
        }
        lastReportNanos = System.nanoTime();
        if (report.result() != null && current != null && report.sequence() == sequence) {
            results.putIfAbsent(p, report.result());
            notifyAll();
        }
        if (current != null && !results.containsKey(p)) {
            answer.accept(current);
        } else if (stopping) {
            answer.accept(STOP);
        } else {
            waiting.add(answer);
        }
    }

    /**
     * Hands step {@code sequence}, its {@link TaskOrder} encoded once as {@code order}, to every
     * partition and forgets the previous step's results.
     */
    synchronized void publish(long sequence, byte[] order) {
        if (stopping) {
            throw new IllegalStateException("the step tasks were told to stop");
        }
        this.sequence = sequence;
        current = order;
        results.clear();
        waiting.forEach(answer -> answer.accept(order));
        waiting.clear();
    }

    /**
     * Waits up to {@code millis} for every partition's result of the current step.
     *
     * @return the merged result, or {@code null} if some are still missing
     */
    synchronized ShardSum awaitResults(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (results.size() < partitions) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        ShardSum sum = ShardSum.empty();
        results.values().forEach(sum::merge);
        return sum;
    }

    /** Partitions whose result of the current step is missing. */
    synchronized int missing() {
        return partitions - results.size();
    }

    /** Nanoseconds since any task last reported. */
    synchronized long quietNanos() {
        return System.nanoTime() - lastReportNanos;
    }

    /**
     * Ends every task once it owes no result: the waiting ones now, the others at their next report.
     */
    synchronized void stop() {
        stopping = true;
        waiting.forEach(answer -> answer.accept(STOP));
        waiting.clear();
    }

    synchronized boolean stopping() {
        return stopping;
    }
}
