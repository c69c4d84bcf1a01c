package io.redotrail.cli;

import io.redotrail.core.Jdbc;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.sim.SimulatedClock;
import io.redotrail.redo.sim.SourceDatabase;
import io.redotrail.redo.sim.SourceSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

/**
 * Creates the home directory layout, the simulated source schema and, on the target, the same tables (the
 * DBA's job before a Replicat starts; the checkpoint table is created by the Replicat itself). Idempotent.
 */
public final class HomeSetup {
    static final List<String> DIRS = List.of("redo", "arch", "dirdat", "dirchk", "dirrpt", "dirtmp", "BR", "db");

    private HomeSetup() {
    }

    static void prepare(Settings s) {
        prepareHome(s);
        prepareTarget(s);
    }

    /** The home's folders and the source database. */
    static void prepareHome(Settings s) {
        Path home = s.home();
        try {
            for (String d : DIRS) Files.createDirectories(home.resolve(d));
        } catch (IOException e) {
            throw s.invalid("redotrail.home", "cannot create the home directory: " + e);
        }
        try (SourceDatabase db = SourceDatabase.open(home, SourceSchema.demo())) {
            // opening creates the source schema
        }
    }

    /** The target's tables; a ConfigException names the URL when the target cannot be reached or prepared. */
    static void prepareTarget(Settings s) {
        String url = s.get("redotrail.target.jdbcUrl");
        try (Connection c = Jdbc.connect(url, s.get("redotrail.target.user", ""),
                s.get("redotrail.target.password", ""));
             Statement st = c.createStatement()) {
            for (String sql : SourceSchema.demo().createStatements()) st.execute(sql);
        } catch (SQLException e) {
            throw new Settings.ConfigException("cannot prepare target database " + url + " ("
                    + s.where("redotrail.target.jdbcUrl") + ": redotrail.target.jdbcUrl): " + e.getMessage());
        }
    }

    static String sourceUrl(Settings s) {
        return SourceDatabase.jdbcUrl(s.home());
    }

    /** {@code redotrail.redo.threads}: redo threads (RAC instances) the source writes and the extract reads, 1..64. */
    static int redoThreads(Settings s) {
        int t = s.getInt("redotrail.redo.threads", 1);
        if (t < 1 || t > 64) throw s.invalid("redotrail.redo.threads", "must be 1..64");
        return t;
    }

    /**
     * {@code redotrail.clock}: {@code real} (default, system UTC clock) or {@code simulated} (the home's shared
     * {@link SimulatedClock}, {@code <home>/redo/clock}).
     */
    static Clock clock(Settings s) {
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
