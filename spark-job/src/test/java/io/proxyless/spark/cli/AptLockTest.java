package io.proxyless.spark.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launchers' Debian install waits for another package manager's lock, as on a new machine still
 * running its first updates, and says what to do when it waits too long. The lock is dpkg's real one,
 * held the way apt holds it (an fcntl lock, which Java's FileChannel takes on Linux).
 */
class AptLockTest {

    private static final Path LOCK = Path.of("/var/lib/dpkg/lock-frontend");

    /** Installs an installed package (nothing changes) through the launchers' function. */
    private static Process install(int waitSeconds) throws IOException {
        Path script = Path.of("..", "scripts", "apt-install.sh").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "source '" + script + "' && proxyless_apt_install dataset-fashion-mnist").redirectErrorStream(true);
        builder.environment().put("PROXYLESS_APT_WAIT", Integer.toString(waitSeconds));
        return builder.start();
    }

    private static void assumeRootWithDebianPackage() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isWritable(LOCK),
                "needs root and dpkg's lock file to hold it");
        Process check = new ProcessBuilder("dpkg", "-s", "dataset-fashion-mnist").start();
        Assumptions.assumeTrue(check.waitFor() == 0, "needs dataset-fashion-mnist installed (nothing is installed here)");
    }

    @Test
    void aHeldLockIsWaitedForThenNamedWithWhatToDo() throws Exception {
        assumeRootWithDebianPackage();
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            Process refused = install(4);
            assertTrue(refused.waitFor(2, TimeUnit.MINUTES));
            String out = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, refused.exitValue(), out);
            assertTrue(out.contains("waiting up to 4s") && out.contains("another package manager has held the dpkg lock")
                    && out.contains("PROXYLESS_APT_WAIT"), out);
            assertTrue(!out.contains("Could not get lock"), "apt's own message is not what the user reads: " + out);

            Process waits = install(120);
            Thread.sleep(3000);
            assertTrue(waits.isAlive(), "still waiting for the lock");
            held.release();
            assertTrue(waits.waitFor(2, TimeUnit.MINUTES));
            String waited = new String(waits.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, waits.exitValue(), waited);
        }
    }
}
