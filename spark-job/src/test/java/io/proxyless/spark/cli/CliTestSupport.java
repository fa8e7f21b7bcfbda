package io.proxyless.spark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** The command line as the tests run it: in this JVM, its exit code and what it printed on stderr. */
final class CliTestSupport {

    /** 2 epochs of 5 weight steps on 320 images; a checkpoint every 3 steps and at each epoch end (3, 5, 6, 9, 10). */
    static final List<String> SMALL_SEARCH = List.of("search", "--limit", "320", "--num-epochs", "2",
            "--warmup-epochs", "1", "--batch-size", "32", "--log-frequency", "2", "--checkpoint-every", "3", "--seed", "4");

    private CliTestSupport() {}

    /** Runs the CLI in this JVM; returns the exit code and what it printed on stderr. */
    static Object[] cli(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        return new Object[] {code, err.toString()};
    }

    /** {@code base} followed by {@code more}. */
    static String[] extend(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
