package io.proxyless.nas.io;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputLockTest {

    @Test
    void aSecondRunIsRefusedNamingTheOwnerUntilTheFirstReleases(@TempDir Path dir) throws IOException {
        LocalOutputFolder folder = new LocalOutputFolder(dir);
        try (OutputLock first = OutputLock.acquire(folder, "search")) {
            IOException refused = assertThrows(OutputLock.OutputLockedException.class,
                    () -> OutputLock.acquire(folder, "search"));
            assertTrue(refused.getMessage().contains("is in use by another run (search process "
                    + ProcessHandle.current().pid()), refused.getMessage());
            assertTrue(refused.getMessage().contains(dir.resolve(OutputLock.FILE).toString()), refused.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(OutputLock.FILE)), "released");
        OutputLock.acquire(folder, "retrain").close();
    }

    /** A lock left by a process that is gone (killed with SIGKILL) is taken over. */
    @Test
    void aLockOfADeadProcessOnThisHostIsTakenOver(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        JsonObject holder = holder(hostOf(dir), gone.pid(), Instant.now());
        Files.writeString(dir.resolve(OutputLock.FILE), holder.toString());
        try (OutputLock lock = OutputLock.acquire(new LocalOutputFolder(dir), "search")) {
            assertTrue(Files.readString(dir.resolve(OutputLock.FILE)).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
    }

    /** On another host only the heartbeat tells: fresh is held, older than the stale age is taken over. */
    @Test
    void aLockOfAnotherHostIsStaleOnlyWhenItsHeartbeatIsOld() {
        Instant now = Instant.now();
        assertNull(OutputLock.staleReason(holder("elsewhere.example", 1, now.minusSeconds(60)), now));
        assertTrue(OutputLock.staleReason(holder("elsewhere.example", 1,
                now.minus(OutputLock.STALE).minusSeconds(1)), now).startsWith("no heartbeat since"));
        assertTrue(OutputLock.STALE.compareTo(OutputLock.HEARTBEAT.multipliedBy(10)) >= 0,
                "many heartbeats fit in the stale age: " + OutputLock.STALE);
        assertTrue(Duration.ZERO.compareTo(OutputLock.HEARTBEAT) < 0);
    }

    private static String hostOf(Path dir) throws IOException {
        try (OutputLock lock = OutputLock.acquire(new LocalOutputFolder(dir), "probe")) {
            return com.google.gson.JsonParser.parseString(Files.readString(dir.resolve(OutputLock.FILE)))
                    .getAsJsonObject().get("host").getAsString();
        }
    }

    private static JsonObject holder(String host, long pid, Instant heartbeat) {
        JsonObject holder = new JsonObject();
        holder.addProperty("command", "search");
        holder.addProperty("host", host);
        holder.addProperty("pid", pid);
        holder.addProperty("heartbeat", heartbeat.toString());
        return holder;
    }
}
