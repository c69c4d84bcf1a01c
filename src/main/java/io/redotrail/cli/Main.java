package io.redotrail.cli;

import io.redotrail.core.CorruptFileException;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/**
 * {@code bin/redotrail <command> [--home DIR] [--config FILE] [--set KEY=VALUE]... [options]}. Exit codes: 0
 * success (and {@code --help}), 1 failure or difference found, 2 bad usage (unknown option, stray argument) or
 * configuration, or a group already running in another process (nothing was started).
 */
public final class Main {
    private Main() {
    }

    @Command(name = "redotrail", synopsisSubcommandLabel = "<command>",
            description = "GoldenGate-style change data capture as Apache Camel routes.",
            subcommands = {DemoCommand.class, SimulateCommand.class, RunCommand.class, ProcessCommand.class, VerifyCommand.class,
                    BenchCommand.class, GgsciCli.class, ManagerCommand.class, CollectorCommand.class, ScenarioCli.class, ArchiveCommand.class, TargetCommand.class,
                    CompletionCommand.class, CommandLine.HelpCommand.class},
            footer = {"", "Run 'bin/redotrail <command> --help' for a command's options."})
    static final class Root implements Runnable {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
        boolean help;

        @CommandLine.Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out); // no command: the usage, as help does
        }
    }

    public static void main(String[] argv) {
        System.exit(execute(argv));
    }

    /** Runs one command line in this JVM and returns its exit code (the tests and bin/redotrail use it). */
    public static int execute(String[] argv) {
        return commandLine().execute(argv);
    }

    /** The command tree with redotrail's exit codes and error messages; {@code completion} generates from it. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Root());
        usageHeading(cl);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, failed, parsed) -> failure(e, topCommand(failed)));
        return cl;
    }

    private static void usageHeading(CommandLine cl) {
        cl.getCommandSpec().usageMessage().synopsisHeading("usage: ");
        cl.getSubcommands().values().forEach(Main::usageHeading);
    }

    /** Bad usage: one line naming what is wrong, the command's usage, exit 2. */
    private static int usageError(ParameterException e, String[] argv) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("redotrail: " + e.getMessage());
        cmd.usage(err);
        err.flush();
        return 2;
    }

    private static int failure(Exception e, String command) {
        if (e instanceof Settings.ConfigException) {
            System.err.println("redotrail: " + e.getMessage());
            return 2;
        }
        // Camel wraps our errors in its own; the user needs ours, once, without a stack trace
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.redotrail.report.GroupLock.AlreadyRunningException r) {
                System.err.println("redotrail: " + command + " refused, nothing started: " + r.getMessage());
                return 2;
            }
            if (t instanceof Settings.ConfigException c) {
                System.err.println("redotrail: " + c.getMessage());
                return 2;
            }
            if (t instanceof CorruptFileException c) {
                System.err.println("redotrail: corrupt file " + c.getMessage());
                return 1;
            }
        }
        System.err.println("redotrail: " + command + " failed: " + Pipeline.rootMessage(e));
        if (System.getenv("REDOTRAIL_DEBUG") != null) e.printStackTrace();
        else System.err.println("(set REDOTRAIL_DEBUG=1 for the stack trace)");
        return 1;
    }

    /** The command's name under bin/redotrail ({@code archive delete} for a subcommand). */
    private static String topCommand(CommandLine failed) {
        String q = failed.getCommandSpec().qualifiedName(" ");
        return q.startsWith("redotrail ") ? q.substring("redotrail ".length()) : q;
    }
}
