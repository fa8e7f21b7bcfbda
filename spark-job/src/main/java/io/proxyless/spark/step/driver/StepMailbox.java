package io.proxyless.spark.step.driver;

import io.proxyless.nas.step.ShardSum;
import io.proxyless.spark.step.TaskOrder;
import io.proxyless.spark.step.TaskReport;
import io.proxyless.spark.step.Wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The driver's side of the conversation with long-running step tasks, without Spark in it. A task
 * reports (joining, a finished step, or still waiting) and is answered when there is work for it.
 * The rules that make retries safe:
 * <ul>
 *   <li>a partition that has not yet reported the current step is given it on any report, so a
 *       retried task, or one whose answer was lost, computes it again;
 *   <li>a result is kept once per partition and step, whichever attempt sent it;
 *   <li>a partition keeps one task: the newest attempt (task ids grow), and an older one still
 *       running (a zombie of a resubmitted stage) is ended at its next report, so that it frees its
 *       slot for the partitions that wait for one.
 * </ul>
 */
final class StepMailbox {

    private static final byte[] STOP = Wire.encode(TaskOrder.stop());

    private final int partitions;
    /** An ask held until there is work: {@code attempt}'s, for {@code partition}. */
    private record Waiting(int partition, long attempt, Consumer<byte[]> answer) {}

    private final List<Waiting> waiting = new ArrayList<>();
    private final TreeMap<Integer, ShardSum> results = new TreeMap<>();
    private final Map<Integer, Long> owners = new HashMap<>();
    private final Map<Integer, Long> orphanedSince = new HashMap<>();
    private long sequence = -1;
    private byte[] current;
    private boolean stopping;

    /** @param partitions the partitions that hold shards, 0 to {@code partitions - 1} */
    StepMailbox(int partitions) {
        this.partitions = partitions;
        long now = System.nanoTime();
        for (int p = 0; p < partitions; p++) {
            orphanedSince.put(p, now);
        }
    }

    /** A task's report; {@code answer} is called, now or later, with its next order, encoded. */
    synchronized void report(TaskReport report, Consumer<byte[]> answer) {
        int p = report.partition();
        if (p < 0 || p >= partitions) {
            answer.accept(STOP);
            return;
        }
        if (report.result() != null && current != null && report.sequence() == sequence) {
            results.putIfAbsent(p, report.result());
            notifyAll();
        }
        Long owner = owners.get(p);
        if (owner == null || report.taskAttemptId() > owner) {
            owners.put(p, report.taskAttemptId());
            orphanedSince.remove(p);
            // An older attempt waiting for the next step would hold its slot until then.
            waiting.removeIf(ask -> {
                boolean older = ask.partition() == p && ask.attempt() < report.taskAttemptId();
                if (older) {
                    ask.answer().accept(STOP);
                }
                return older;
            });
        } else if (report.taskAttemptId() < owner) {
            answer.accept(STOP);
            return;
        }
        if (current != null && !results.containsKey(p)) {
            answer.accept(current);
        } else if (stopping) {
            answer.accept(STOP);
        } else {
            waiting.add(new Waiting(p, report.taskAttemptId(), answer));
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
        for (Waiting ask : waiting) {
            boolean owns = owners.getOrDefault(ask.partition(), -1L) == ask.attempt();
            ask.answer().accept(owns ? order : STOP);
        }
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

    /** Spark reports a task attempt ended (any task of the application): its partition has no task now. */
    synchronized void taskEnded(long taskAttemptId) {
        owners.entrySet().removeIf(owner -> {
            if (owner.getValue() == taskAttemptId) {
                orphanedSince.put(owner.getKey(), System.nanoTime());
                return true;
            }
            return false;
        });
    }

    /**
     * The longest time a partition whose result of the current step is missing has been without a
     * running task, in nanoseconds (0 if every such partition has one).
     */
    synchronized long longestOrphanedNanos() {
        long now = System.nanoTime();
        long longest = 0;
        for (Map.Entry<Integer, Long> orphan : orphanedSince.entrySet()) {
            if (!results.containsKey(orphan.getKey())) {
                longest = Math.max(longest, now - orphan.getValue());
            }
        }
        return longest;
    }

    /**
     * Ends every task once it owes no result: the waiting ones now, the others at their next report.
     */
    synchronized void stop() {
        stopping = true;
        waiting.forEach(ask -> ask.answer().accept(STOP));
        waiting.clear();
    }

    synchronized boolean stopping() {
        return stopping;
    }
}
