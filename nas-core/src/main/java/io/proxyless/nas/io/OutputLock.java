package io.proxyless.nas.io;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run's ownership of an output folder: {@value #FILE}, created exclusively through the folder's
 * file system (an atomic create on HDFS and local disks), holding the owner's host, process and a
 * heartbeat that a daemon thread renews every {@link #HEARTBEAT}. A second run on the folder is refused
 * at once, naming the owner. A lock is stale, and taken over, when its owner's process is gone from
 * this host, or when its heartbeat is older than {@link #STALE} (an owner on another host that died).
 * Closing releases it.
 */
public final class OutputLock implements AutoCloseable {

    /** The lock file, hidden from Spark's readers by its leading underscore. */
    public static final String FILE = "_LOCK";
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration STALE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);

    private final OutputFolder folder;
    private final JsonObject owner;
    private final ScheduledExecutorService heartbeat;

    private OutputLock(OutputFolder folder, JsonObject owner) {
        this.folder = folder;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxyless-output-lock");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::renew, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the folder for {@code command} ("search", "retrain"), or refuses, naming the run that
     * holds it.
     */
    public static OutputLock acquire(OutputFolder folder, String command) throws IOException {
        JsonObject owner = new JsonObject();
        owner.addProperty("command", command);
        owner.addProperty("host", host());
        owner.addProperty("pid", ProcessHandle.current().pid());
        owner.addProperty("started", Instant.now().toString());
        owner.addProperty("heartbeat", Instant.now().toString());
        for (int attempt = 0; attempt < 2; attempt++) {
            try (OutputStream out = folder.createNew(FILE)) {
                out.write(owner.toString().getBytes(StandardCharsets.UTF_8));
                return new OutputLock(folder, owner);
            } catch (FileAlreadyExistsException e) {
                JsonObject holder = read(folder);
                String stale = holder == null ? null : staleReason(holder, Instant.now());
                if (stale == null) {
                    throw new OutputLockedException("output " + folder.describe("") + " is in use by another run ("
                            + describe(holder) + "); wait for it to end, or choose another --output. If no such run"
                            + " is alive, delete " + folder.describe(FILE));
                }
                LOG.warn("taking over the stale lock {} ({}: {})", folder.describe(FILE), describe(holder), stale);
                folder.delete(FILE);
            }
        }
        throw new OutputLockedException("output " + folder.describe("") + ": another run took its lock at the same time");
    }

    /** Why a lock's owner is gone, or {@code null} while it may be alive. */
    static String staleReason(JsonObject holder, Instant now) {
        if (host().equals(holder.get("host").getAsString())) {
            long pid = holder.get("pid").getAsLong();
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return null;
            }
            return "its process " + pid + " is no longer running";
        }
        Instant beat = Instant.parse(holder.get("heartbeat").getAsString());
        return Duration.between(beat, now).compareTo(STALE) > 0 ? "no heartbeat since " + beat : null;
    }

    /** The holder's record, or {@code null} when it cannot be read (being written: treated as held). */
    private static JsonObject read(OutputFolder folder) {
        try {
            if (folder.size(FILE) > 4096) {
                return null;
            }
            JsonObject holder = JsonParser.parseString(new String(folder.read(FILE), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            for (String key : new String[] {"host", "pid", "heartbeat"}) {
                if (!holder.has(key)) {
                    return null;
                }
            }
            return holder;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(JsonObject holder) {
        if (holder == null) {
            return "owner unreadable";
        }
        return (holder.has("command") ? holder.get("command").getAsString() + " " : "") + "process "
                + holder.get("pid").getAsString() + " on " + holder.get("host").getAsString() + ", started "
                + (holder.has("started") ? holder.get("started").getAsString() : "?") + ", last heartbeat "
                + holder.get("heartbeat").getAsString();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private void renew() {
        owner.addProperty("heartbeat", Instant.now().toString());
        try (OutputStream out = folder.create(FILE)) {
            out.write(new Gson().toJson(owner).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not renew the lock {}: {}", folder.describe(FILE), e.toString());
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
            folder.delete(FILE);
        } catch (IOException e) {
            LOG.warn("could not release the lock {}: {}", folder.describe(FILE), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Another run holds the folder. */
    public static final class OutputLockedException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputLockedException(String message) {
            super(message);
        }
    }
}
