package io.redotrail.cli;

import io.redotrail.runtime.Workloads;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.WorkloadStats;
import io.redotrail.verify.VerifyReport;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;

/**
 * Test-only bridge to the package-private command-line helpers the end-to-end tests drive directly
 * (io.redotrail.it.ItSupport is the only caller). Pure delegation, no logic of its own.
 */
public final class CliAccess {
    private CliAccess() {
    }

    /** What {@link Workloads#play} returned. */
    public record Played(WorkloadStats stats, long lastSelectedCsn) {
    }

    /** Plays {@code transactions} transactions with {@code seed}, other workload keys from the settings. */
    public static Played play(Settings s, int transactions, long seed, PrintStream out) {
        Workloads.Played p = Workloads.play(s, Workloads.config(s, transactions, seed, "redotrail.workload.transactions"), out);
        return new Played(p.stats(), p.lastSelectedCsn());
    }

    public static VerifyReport compare(Settings s) throws SQLException {
        return VerifyCommand.compare(s);
    }

    /** The source tables the pump's TABLE patterns select: the ones replicated to the target. */
    public static List<String> selectedTables(Settings s) {
        return VerifyCommand.selectedTables(s);
    }

    public static void prepareHome(Settings s) {
        HomeSetup.prepare(s);
    }
}
