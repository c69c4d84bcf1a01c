package io.redotrail.cli;

import io.redotrail.redo.ArchiveLogs;
import io.redotrail.runtime.Settings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code archive list [--thread T]} and {@code archive delete (--sequence N | --upto N) [--thread T]}: the DBA's
 * view of the source's redo logs (like RMAN {@code list archivelog all} and
 * {@code backup archivelog sequence N delete input}). Deleting the current log, a log never archived, or a copy
 * already deleted is refused (exit 1) and deletes nothing. Safe while {@code simulate} or {@code run} runs.
 */
final class ArchiveCommand implements Callable<Integer> {
    static final String USAGE = """
            usage: bin/redotrail archive list [--thread T]
                   bin/redotrail archive delete --sequence N [--thread T]   delete one archived log (all threads without --thread)
                   bin/redotrail archive delete --upto N [--thread T]       delete archived logs up to sequence N, current logs kept
            """;

    private final Settings settings;
    private final Args args;
    private final PrintStream out;

    ArchiveCommand(Settings settings, Args args) {
        this(settings, args, System.out);
    }

    ArchiveCommand(Settings settings, Args args, PrintStream out) {
        args.allow("home", "config", "thread", "sequence", "upto");
        this.settings = settings;
        this.args = args;
        this.out = out;
    }

    @Override
    public Integer call() {
        String sub = args.positional.isEmpty() ? "" : args.positional.get(0);
        Path redoDir = settings.home().resolve("redo");
        Integer thread = args.options.containsKey("thread") ? (int) args.longOption("thread", 1) : null;
        switch (sub) {
            case "list" -> {
                if (args.options.containsKey("sequence") || args.options.containsKey("upto")) {
                    throw new Settings.ConfigException("archive list takes only --thread\n" + USAGE);
                }
                print(ArchiveLogs.list(redoDir, thread));
                return 0;
            }
            case "delete" -> {
                boolean seq = args.options.containsKey("sequence"), upto = args.options.containsKey("upto");
                if (seq == upto) throw new Settings.ConfigException("archive delete needs exactly one of --sequence N and --upto N\n" + USAGE);
                try {
                    List<ArchiveLogs.LogInfo> deleted = seq
                            ? ArchiveLogs.deleteSequence(redoDir, thread, args.longOption("sequence", 0))
                            : ArchiveLogs.deleteUpTo(redoDir, thread, args.longOption("upto", 0));
                    for (ArchiveLogs.LogInfo l : deleted) {
                        out.printf("deleted archived log thread=%d sequence=%d file name=%s%n", l.thread(), l.sequence(), l.archived());
                    }
                    if (deleted.isEmpty()) out.println("no archived logs matched; nothing deleted");
                    return 0;
                } catch (ArchiveLogs.RefusedException e) {
                    System.err.println("redotrail: archive delete refused: " + e.getMessage());
                    return 1;
                }
            }
            default -> throw new Settings.ConfigException((sub.isEmpty() ? "archive needs a subcommand" : "unknown archive subcommand '" + sub + "'") + "\n" + USAGE);
        }
    }

    private void print(List<ArchiveLogs.LogInfo> logs) {
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
