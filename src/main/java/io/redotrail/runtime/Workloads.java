package io.redotrail.runtime;

import io.redotrail.pump.TablePatterns;
import io.redotrail.sim.RedoLogSink;
import io.redotrail.sim.SimulatedClock;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceRecovery;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.WorkloadConfig;
import io.redotrail.sim.WorkloadGenerator;
import io.redotrail.sim.WorkloadStats;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a workload from the configuration (and the command's --transactions/--seed) into the home's source and redo.
 * Here, not in cli, because the benchmarks play workloads too.
 */
public final class Workloads {
    private Workloads() {
    }

    /** {@code transactions} and {@code seed}: the command's options, null when not given (the configuration's then). */
    public static WorkloadConfig config(Settings s, Integer transactions, Long seed, String transactionsKey) {
        try {
            return WorkloadConfig.defaults()
                    .withTransactions(transactions != null ? transactions : s.getInt(transactionsKey, 20000))
                    .withSeed(seed != null ? seed : s.getLong("redotrail.workload.seed", 42))
                    .withOpsPerTransaction(s.getInt("redotrail.workload.minOps", 1), s.getInt("redotrail.workload.maxOps", 9))
                    .withRollbackRatio(s.getDouble("redotrail.workload.rollbackRatio", 0.05))
                    .withMaxOpenTransactions(s.getInt("redotrail.workload.maxOpen", 8))
                    .withThreads(workloadThreads(s))
                    .withTables(tables(s.get("redotrail.workload.tables", "")))
                    .withRowsPerSecond(s.getDouble("redotrail.workload.rate", 0))
                    .withLongTransactions(s.getDouble("redotrail.workload.longTxRatio", 0),
                            s.getLong("redotrail.workload.longTxMillis", 0), s.getInt("redotrail.workload.longTxOtherCommits", 0))
                    .withLobRatio(s.getDouble("redotrail.workload.lobRatio", 0));
        } catch (IllegalArgumentException e) {
            throw badWorkload(s, transactions != null, transactionsKey, e);
        }
    }

    /** WorkloadConfig's rule broken, reported against the key (or option) the value came from. */
    private static Settings.ConfigException badWorkload(Settings s, boolean transactionsOption, String transactionsKey,
                                                        IllegalArgumentException e) {
        Matcher m = Pattern.compile("workload parameter ([\\w/]+)").matcher(String.valueOf(e.getMessage()));
        String param = m.find() ? m.group(1) : "";
        if (param.equals("transactions") && transactionsOption) {
            return new Settings.ConfigException("--transactions: " + e.getMessage());
        }
        String key = switch (param) {
            case "transactions" -> transactionsKey;
            case "minOpsPerTransaction" -> "redotrail.workload.minOps";
            case "maxOpsPerTransaction" -> "redotrail.workload.maxOps";
            case "maxOpenTransactions" -> "redotrail.workload.maxOpen";
            case "rowsPerSecond" -> "redotrail.workload.rate";
            case "longTxMillis/longTxOtherCommits" -> "redotrail.workload.longTxRatio";
            case "rollbackRatio", "threads", "longTxRatio", "longTxMillis", "longTxOtherCommits", "lobRatio" -> "redotrail.workload." + param;
            default -> null;
        };
        return key == null || !s.has(key) ? new Settings.ConfigException(s.file() + ": workload: " + e.getMessage())
                : s.invalid(key, e.getMessage());
    }

    /** {@code redotrail.workload.threads} (default: every redo thread), at most {@code redotrail.redo.threads}. */
    static int workloadThreads(Settings s) {
        int redo = HomeSetup.redoThreads(s);
        int t = s.getInt("redotrail.workload.threads", redo);
        if (t < 1 || t > redo) {
            throw s.invalid("redotrail.workload.threads", "must be 1.." + redo
                    + " (redotrail.redo.threads, the threads the extract reads)");
        }
        return t;
    }

    /** Comma- or semicolon-separated table names/patterns; empty = all tables. */
    static List<String> tables(String v) {
        return Arrays.stream(v.split("[,;]")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** Result of a run: the generator's counts and the CSN the pump's tables last committed at. */
    public record Played(WorkloadStats stats, long lastSelectedCsn) {
    }

    public static Played play(Settings s, WorkloadConfig wc, PrintStream out) {
        for (String line : HomeSetup.prepare(s)) out.println(line);
        TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
        long logMb = s.getLong("redotrail.redo.logSizeMb", 64);
        if (wc.lobRatio() > 0 && logMb < 8) {
            throw s.invalid("redotrail.redo.logSizeMb", "redotrail.workload.lobRatio ("
                    + s.where("redotrail.workload.lobRatio") + ") = " + wc.lobRatio() + " writes 1 MB values (up to 7 MB per redo record with before and after image): use at least 8,"
                    + " or set lobRatio to 0");
        }
        Clock clock = HomeSetup.clock(s);
        out.printf("generating workload: %,d transactions (seed %d, %d redo thread%s, %s clock) into %s%n", wc.transactions(),
                wc.seed(), wc.threads(), wc.threads() == 1 ? "" : "s", clock instanceof SimulatedClock ? "simulated" : "real", s.home());
        try (RedoLogSink sink = RedoLogSink.open(wc.threads(), t -> HomeSetup.redoConfig(s, t), clock, selected::matches);
             SourceDatabase db = SourceDatabase.open(s.home(), SourceSchema.demo())) {
            SourceRecovery.Outcome recovered = SourceRecovery.recover(db, sink, clock);
            if (recovered.any()) {
                out.printf("  recovered the source database from its redo (a workload was interrupted): applied %,d committed"
                        + " transaction(s) it lacked, rolled back %,d left open%n", recovered.applied(), recovered.rolledBack());
            }
            WorkloadStats stats = new WorkloadGenerator(db, sink, wc, clock).run();
            out.printf("  committed %,d transactions / %,d row changes, rolled back %,d / %,d, %,d redo records, %.1f s%n",
                    stats.committedTransactions(), stats.committedRowChanges(), stats.rolledBackTransactions(),
                    stats.rolledBackRowChanges(), stats.redoRecords(), stats.elapsedNanos() / 1e9);
            return new Played(stats, sink.lastSelectedCommitScn());
        }
    }
}
