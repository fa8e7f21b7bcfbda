package io.proxyless.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;

/** Entry point: {@code proxyless <command> [options]}. Exit 0 on success, 2 on bad input, 1 on failure. */
@Command(name = "proxyless", mixinStandardHelpOptions = true, version = "proxyless-spark 0.1.0",
        description = "Hardware-aware neural architecture search (ProxylessNAS).",
        subcommands = {SearchCommand.class, RetrainCommand.class, EvaluateCommand.class, ReportCommand.class, SweepCommand.class, PredictLatencyCommand.class, ProfileLatencyCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command and returns its exit code, without exiting the JVM. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs a command with its output and errors going to the given writers. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean badInput = e instanceof IllegalArgumentException || e instanceof IOException;
            commandLine.getErr().println("proxyless: error: " + e.getMessage());
            if (!badInput) {
                e.printStackTrace(commandLine.getErr());
            }
            return badInput ? 2 : 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
