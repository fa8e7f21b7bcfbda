package io.proxyless.spark.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one line a command prints when it is stopped from outside: a termination signal (SIGTERM, as
 * YARN, Kubernetes and Airflow send) or a full disk. It says what happened and what is kept, e.g. that
 * a search continues with {@code --resume}; the failures the stop causes inside (Spark jobs cancelled
 * by its shutdown) are not printed.
 */
final class StopNotice {

    private static final AtomicBoolean SIGNALLED = new AtomicBoolean();
    private static final AtomicBoolean PRINTED = new AtomicBoolean();
    private static volatile String kept = "nothing it wrote is marked finished (no _SUCCESS)";
    private static volatile Thread main;
    private static volatile PrintWriter err;

    private StopNotice() {}

    /** Called once by {@code main}: on a termination signal the line is printed, once the command has stopped. */
    static void install(PrintWriter errors) {
        main = Thread.currentThread();
        err = errors;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread command = main;
            if (command == null) {
                return;
            }
            SIGNALLED.set(true);
            try {
                // Spark's own hook stops the jobs; the command then fails, or is cut short here.
                command.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            print(err, "stopped by a termination signal (SIGTERM)");
        }, "proxyless-stop-notice"));
    }

    /** The command ended by itself: its own exit is not a stop. */
    static void finished() {
        main = null;
    }

    /** What a search in {@code folder} keeps when it is stopped. */
    static void searchIn(String folder) {
        kept = "its newest checkpoint is kept: continue the search with --resume " + folder;
    }

    static boolean signalled() {
        return SIGNALLED.get();
    }

    /** Prints the stop's one line, once: what happened and what is kept. */
    static void print(PrintWriter to, String what) {
        if (to != null && PRINTED.compareAndSet(false, true)) {
            to.println("proxyless: error: " + what + "; " + kept);
            to.flush();
        }
    }

    /** Whether {@code e} (or a cause) is a disk that is full, however the file system reports it. */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("No space left on device")
                    || t.getClass().getName().equals("org.apache.hadoop.fs.FSError")
                    || t.getClass().getName().equals("org.apache.hadoop.hdfs.protocol.DSQuotaExceededException")) {
                return true;
            }
        }
        return false;
    }
}
