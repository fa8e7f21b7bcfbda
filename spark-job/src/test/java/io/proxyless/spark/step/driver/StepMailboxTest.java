package io.proxyless.spark.step.driver;

import io.proxyless.nas.step.ShardSum;
import io.proxyless.nas.step.StepResult;
import io.proxyless.spark.step.StepPayload;
import io.proxyless.spark.step.TaskOrder;
import io.proxyless.spark.step.TaskReport;
import io.proxyless.spark.step.Wire;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules by which the driver answers long-running step tasks, retried ones among them. */
class StepMailboxTest {

    /** The answers one ask received, decoded. */
    private static final class Answers {
        final List<TaskOrder> received = new ArrayList<>();

        void accept(byte[] order) {
            received.add(Wire.decode(order, TaskOrder.class));
        }

        long lastSequence() {
            return received.get(received.size() - 1).sequence();
        }

        boolean stopped() {
            return !received.isEmpty() && received.get(received.size() - 1).isStop();
        }
    }

    private static ShardSum shard(int shard, long rows) {
        return ShardSum.of(shard, new StepResult(Map.of(), Map.of(), Map.of(), rows, 0, rows));
    }

    /** An order for step {@code sequence}; the rules do not look inside its payload. */
    private static byte[] order(long sequence) {
        return Wire.encode(new TaskOrder(sequence, new StepPayload(null, Map.of(), null, null, null)));
    }

    @Test
    void tasksThatJoinEarlyWaitForTheFirstStepAndEveryResultCountsOnce() throws Exception {
        StepMailbox mailbox = new StepMailbox(2);
        Answers a = new Answers();
        Answers b = new Answers();
        mailbox.report(TaskReport.ready(0, 10, -1), a::accept);
        mailbox.report(TaskReport.ready(1, 11, -1), b::accept);
        assertTrue(a.received.isEmpty() && b.received.isEmpty(), "nothing to do before the first step");

        mailbox.publish(1, order(1));
        assertEquals(1, a.lastSequence());
        assertEquals(1, b.lastSequence());
        assertNull(mailbox.awaitResults(1), "no result yet");

        Answers a2 = new Answers();
        mailbox.report(new TaskReport(0, 10, 1, shard(0, 3)), a2::accept);
        assertTrue(a2.received.isEmpty(), "a task that has done the step waits for the next");
        // The same partition's result again, from a newer attempt (the stage was resubmitted while
        // attempt 10 ran on), is not added twice, and the newer attempt takes the partition over.
        Answers copy = new Answers();
        mailbox.report(new TaskReport(0, 12, 1, shard(0, 3)), copy::accept);
        assertTrue(a2.stopped(), "the older attempt ends at once and frees its slot");
        assertEquals(1, mailbox.missing());
        mailbox.report(new TaskReport(1, 11, 1, shard(1, 5)), new Answers()::accept);
        assertEquals(8, mailbox.awaitResults(1).total().count());

        mailbox.publish(2, order(2));
        assertEquals(2, copy.lastSequence());
        assertEquals(1, a2.received.size(), "the older attempt was answered once");
        Answers late = new Answers();
        mailbox.report(TaskReport.ready(0, 10, 1), late::accept);
        assertTrue(late.stopped(), "and stays ended");
    }

    @Test
    void aPartitionWhoseTaskEndedIsOrphanedUntilAnotherJoins() throws Exception {
        StepMailbox mailbox = new StepMailbox(2);
        mailbox.report(TaskReport.ready(0, 10, -1), new Answers()::accept);
        mailbox.report(TaskReport.ready(1, 11, -1), new Answers()::accept);
        mailbox.publish(1, order(1));
        assertEquals(0, mailbox.longestOrphanedNanos(), "every partition has its task");
        mailbox.report(new TaskReport(1, 11, 1, shard(1, 5)), new Answers()::accept);
        mailbox.taskEnded(11);
        assertEquals(0, mailbox.longestOrphanedNanos(), "partition 1 owes nothing");
        mailbox.taskEnded(10);
        Thread.sleep(5);
        assertTrue(mailbox.longestOrphanedNanos() >= 5_000_000L, "partition 0 owes the step and has no task");
        Answers retry = new Answers();
        mailbox.report(TaskReport.ready(0, 20, -1), retry::accept);
        assertEquals(1, retry.lastSequence());
        assertEquals(0, mailbox.longestOrphanedNanos());
    }

    @Test
    void aRetriedTaskIsGivenTheStepItsPartitionOwes() throws Exception {
        StepMailbox mailbox = new StepMailbox(2);
        mailbox.publish(1, order(1));
        mailbox.report(new TaskReport(1, 11, 1, shard(1, 5)), new Answers()::accept);
        // Partition 0's task was lost while computing; its retry joins with no step done.
        Answers retry = new Answers();
        mailbox.report(TaskReport.ready(0, 20, -1), retry::accept);
        assertEquals(1, retry.lastSequence());
        // A result of an older step (from an attempt that outlived its answer) is not this step's.
        mailbox.report(new TaskReport(0, 10, 0, shard(0, 99)), new Answers()::accept);
        assertEquals(1, mailbox.missing());
        mailbox.report(new TaskReport(0, 20, 1, shard(0, 3)), new Answers()::accept);
        assertEquals(8, mailbox.awaitResults(1).total().count());
    }

    @Test
    void stoppingEndsTasksOnlyOnceTheyOweNothing() throws Exception {
        StepMailbox mailbox = new StepMailbox(2);
        mailbox.publish(1, order(1));
        Answers done = new Answers();
        mailbox.report(new TaskReport(1, 11, 1, shard(1, 5)), done::accept);
        mailbox.stop();
        assertTrue(done.stopped(), "a waiting task is ended at once");
        Answers retry = new Answers();
        mailbox.report(TaskReport.ready(0, 20, -1), retry::accept);
        assertEquals(1, retry.lastSequence(), "the step in flight is still computed");
        Answers last = new Answers();
        mailbox.report(new TaskReport(0, 20, 1, shard(0, 3)), last::accept);
        assertTrue(last.stopped());
        assertEquals(8, mailbox.awaitResults(1).total().count());
        assertThrows(IllegalStateException.class, () -> mailbox.publish(2, order(2)));
        Answers stranger = new Answers();
        mailbox.report(TaskReport.ready(7, 30, -1), stranger::accept);
        assertTrue(stranger.stopped(), "a partition without shards has nothing to do");
    }
}
