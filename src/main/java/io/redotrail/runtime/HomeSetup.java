package io.redotrail.runtime;

import io.redotrail.redo.RedoLogConfig;
import io.redotrail.sim.SimulatedClock;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Creates the home directory layout, the simulated source schema and, on the target, the tables the pump selects as
 * {@code redotrail.replicat.map} maps them ({@link TargetSetup}, as {@code target create} does: the DBA's job before
 * a Replicat starts; the checkpoint table is created by the Replicat itself). Idempotent.
 */
public final class HomeSetup {
    static final List<String> DIRS = List.of("redo", "arch", "dirdat", "dirchk", "dirrpt", "dirtmp", "BR", "db");

    private HomeSetup() {
    }

    /**
     * The home and the configured target's tables ({@link TargetSetup}: MAP-aware, the tables the pump selects);
     * returns the lines to print, none when every target table existed already.
     */
    public static List<String> prepare(Settings s) {
        prepareHome(s);
        return TargetSetup.createConfiguredQuietly(s);
    }

    /** The home's folders and the source database. */
    public static void prepareHome(Settings s) {
        prepareFolders(s);
        try (SourceDatabase db = SourceDatabase.open(s.home(), SourceSchema.demo())) {
            // opening creates the source schema
        }
    }

    /**
     * The home's folders only: what a single group's process needs. It does not open the source database (with
     * H2's auto-server a process that opens it may end up hosting it for others, and a group process may be killed).
     */
    public static void prepareFolders(Settings s) {
        Path home = s.home();
        try {
            for (String d : DIRS) Files.createDirectories(home.resolve(d));
        } catch (IOException e) {
            throw s.invalid("redotrail.home", "cannot create the home directory: " + e);
        }
    }

    public static String sourceUrl(Settings s) {
        return SourceDatabase.jdbcUrl(s.home());
    }

    /** {@code redotrail.redo.threads}: redo threads (RAC instances) the source writes and the extract reads, 1..64. */
    public static int redoThreads(Settings s) {
        int t = s.getInt("redotrail.redo.threads", 1);
        if (t < 1 || t > 64) throw s.invalid("redotrail.redo.threads", "must be 1..64");
        return t;
    }

    /**
     * {@code redotrail.clock}: {@code real} (default, system UTC clock) or {@code simulated} (the home's shared
     * {@link SimulatedClock}, {@code <home>/redo/clock}).
     */
    public static Clock clock(Settings s) {
        String c = s.get("redotrail.clock", "real");
        return switch (c) {
            case "real" -> Clock.systemUTC();
            case "simulated" -> SimulatedClock.of(s.home());
            default -> throw s.invalid("redotrail.clock", "must be 'real' or 'simulated'");
        };
    }

    /** The redo log configuration of one thread from the settings (groups, size checked 1..4096 MB, db name). */
    public static RedoLogConfig redoConfig(Settings s, int thread) {
        long mb = s.getLong("redotrail.redo.logSizeMb", 64);
        if (mb < 1 || mb > 4096) {
            throw s.invalid("redotrail.redo.logSizeMb", "must be 1..4096");
        }
        return RedoLogConfig.defaults(s.home(), thread, s.get("redotrail.source.name", "ORCL"))
                .withGroups(s.getInt("redotrail.redo.groups", RedoLogConfig.DEFAULT_GROUPS))
                .withLogSize(mb * 1024 * 1024);
    }
}
