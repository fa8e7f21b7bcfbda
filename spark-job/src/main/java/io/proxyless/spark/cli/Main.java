package io.proxyless.spark.cli;

import io.proxyless.nas.config.Suggestion;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;

/** Entry point: {@code proxyless <command> [options]}. Exit 0 on success, 2 on bad input, 1 on failure. */
@Command(name = "proxyless", mixinStandardHelpOptions = true, version = "proxyless-spark 0.1.0",
        description = "Hardware-aware neural architecture search (ProxylessNAS).",
        subcommands = {SearchCommand.class, ConfigCommand.class, RetrainCommand.class, EvaluateCommand.class, ExportCommand.class, ReportCommand.class, SweepCommand.class, PredictLatencyCommand.class, ProfileLatencyCommand.class, ClassifyCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
        StopNotice.install(err);
        int code;
        try {
            code = run(new java.io.PrintWriter(System.out, true), err, args);
        } finally {
            // An error that escapes is reported as itself, not as a stop from outside.
            StopNotice.finished();
        }
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
        CommandLine cli = commandLine().setOut(out).setErr(err);
        cli.setParameterExceptionHandler(Main::badArguments);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (StopNotice.signalled()) {
                // The shutdown hook says what happened; this failure is only its consequence.
                return 1;
            }
            if (StopNotice.diskFull(e)) {
                StopNotice.print(commandLine.getErr(), "the disk is full (" + e.getMessage() + ")");
                return 1;
            }
            boolean badInput = e instanceof IllegalArgumentException || e instanceof IOException;
            commandLine.getErr().println("proxyless: error: " + e.getMessage());
            if (!badInput) {
                e.printStackTrace(commandLine.getErr());
            }
            return badInput ? 2 : 1;
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // Hadoop's local file system reports a full disk as an FSError, which picocli does not catch.
            if (StopNotice.diskFull(e)) {
                StopNotice.print(err, "the disk is full (" + e.getMessage() + ")");
                return 1;
            }
            throw e;
        }
    }

    /** The command line with every subcommand and its trainer flags, generated from their declarations. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        TrainerOptions.declareAll(cli);
        return cli;
    }

    /** A mistyped or malformed option: what was wrong, the closest known option, exit 2. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        java.io.PrintWriter err = command.getErr();
        err.println("proxyless: error: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            for (String typed : unmatched.getUnmatched()) {
                String flag = typed.split("=", 2)[0];
                String closest = flag.startsWith("--")
                        ? Suggestion.closest(flag, command.getCommandSpec().optionsMap().keySet()) : null;
                if (closest != null) {
                    err.println(flag + ": did you mean " + closest + "?");
                }
            }
        }
        err.println("'proxyless " + command.getCommandName() + " --help' lists every option with its default");
        err.flush();
        return 2;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
