package io.redotrail.cli;

import io.redotrail.control.group.RedoRetention;
import io.redotrail.redo.ArchiveLogs;
import io.redotrail.runtime.Settings;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code archive list [--thread T]} and {@code archive delete (--sequence N | --upto N) [--thread T]}: the DBA's
 * view of the source's redo logs (like RMAN {@code list archivelog all} and
 * {@code backup archivelog sequence N delete input}). Deleting the current log, a log never archived, or a copy
 * already deleted is refused (exit 1) and deletes nothing; so is, unless {@code --force}, a log an Extract of the home
 * still needs ({@link RedoRetention}, RMAN-08137). Safe while {@code simulate} or {@code run} runs.
 */
@Command(name = "archive", description = "The DBA's view of the source's redo logs: list them, delete archived copies.",
        subcommands = {ArchiveCommand.ListLogs.class, ArchiveCommand.DeleteLogs.class})
final class ArchiveCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "archive needs a subcommand: list or delete");
    }

    @Command(name = "list", description = "Thread, sequence, first/next SCN, size, status and path of every redo log.")
    static final class ListLogs implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--thread", paramLabel = "T", description = "only this redo thread")
        Integer thread;

        @Override
        public Integer call() {
            print(ArchiveLogs.list(common.settings().home().resolve("redo"), thread), System.out);
            return 0;
        }
    }

    @Command(name = "delete", description = {"Delete archived copies, as RMAN 'backup archivelog ... delete input' does.",
            "Deleting the current log, a log never archived, or a copy already deleted is refused (exit 1) and deletes nothing.",
            "A log an Extract of this home still needs to restart (its Recovery or Bounded Recovery checkpoint) is kept"
                    + " (RMAN-08137): --sequence refuses it (exit 1), --upto deletes the others; --force deletes it anyway."})
    static final class DeleteLogs implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @ArgGroup(multiplicity = "1")
        Which which;

        @Option(names = "--thread", paramLabel = "T", description = "only this redo thread (default: all threads)")
        Integer thread;

        @Option(names = "--force", description = "delete logs an Extract still needs too (RMAN's DELETE FORCE): it then stops with OGG-00446")
        boolean force;

        static final class Which {
            @Option(names = "--sequence", paramLabel = "N", required = true, description = "delete the archived log of sequence N")
            Long sequence;

            @Option(names = "--upto", paramLabel = "N", required = true, description = "delete archived logs up to sequence N, current logs kept")
            Long upTo;
        }

        @Override
        public Integer call() {
            Path home = common.settings().home();
            Path redoDir = home.resolve("redo");
            try {
                List<ArchiveLogs.Retained> retained = force ? List.of() : RedoRetention.of(home, k -> common.settings().get(k, null));
                ArchiveLogs.Deletion d = which.sequence != null
                        ? new ArchiveLogs.Deletion(ArchiveLogs.deleteSequence(redoDir, thread, which.sequence, retained), List.of())
                        : ArchiveLogs.deleteUpTo(redoDir, thread, which.upTo, retained);
                d.kept().forEach(System.err::println);
                List<ArchiveLogs.LogInfo> deleted = d.deleted();
                for (ArchiveLogs.LogInfo l : deleted) {
                    System.out.printf("deleted archived log thread=%d sequence=%d file name=%s%n", l.thread(), l.sequence(), l.archived());
                }
                if (deleted.isEmpty()) System.out.println(d.kept().isEmpty() ? "no archived logs matched; nothing deleted" : "nothing deleted");
                return 0;
            } catch (ArchiveLogs.RefusedException e) {
                System.err.println("redotrail: archive delete refused: " + e.getMessage());
                return 1;
            }
        }
    }

    private static void print(List<ArchiveLogs.LogInfo> logs, PrintStream out) {
        out.printf("%-6s %-9s %-14s %-14s %-12s %-9s %s%n", "THREAD", "SEQUENCE", "FIRST_SCN", "NEXT_SCN", "SIZE", "STATUS", "PATH");
        for (ArchiveLogs.LogInfo l : logs) {
            String arch = l.archived() == null ? "" : l.archiveDeleted() ? "archived copy " + l.archived() + " deleted" : "archived " + l.archived();
            String path = l.online() == null ? (l.archiveDeleted() ? arch : String.valueOf(l.archived()))
                    : l.online() + (arch.isEmpty() ? "" : " (" + arch + ")");
            out.printf("%-6d %-9d %-14d %-14s %-12d %-9s %s%n", l.thread(), l.sequence(), l.firstScn(),
                    l.current() ? "CURRENT" : Long.toString(l.nextScn()), l.size(), l.status(), path);
        }
    }
}
