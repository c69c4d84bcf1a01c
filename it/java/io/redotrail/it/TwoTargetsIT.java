package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Settings;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.TableComparer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance "H2 and PostgreSQL targets end identical": the same workload (seed, transaction count) replicated
 * by the real routes twice, once into the default H2 target in its home and once into a fresh PostgreSQL
 * database of its own (dropped afterwards, also on failure). Then each target equals its own source, the two
 * sources are equal (otherwise comparing the targets would prove nothing), the two targets are equal row for
 * row when compared directly with each other, and both checkpoint tables hold the trail's last CSN.
 * <p>
 * The simulated clock makes the sources identical: row timestamps come from the workload clock, and the real
 * one would differ between the runs. With a rate (20,000 row changes per simulated second) the clock still
 * moves, so timestamps vary within a run; a lower rate advances the clock file at every change, which is slow.
 */
class TwoTargetsIT {
    static final int TRANSACTIONS = 4000;
    static final long SEED = 20_140_621;
    static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    static Path h2Home;
    @TempDir
    static Path pgHome;
    static PgDatabase pg;
    static Run h2, pgRun;

    /** One replication: its settings, what the workload did, the remote trail read back, the checkpoint row. */
    record Run(Settings settings, CliAccess.Played played, List<Transaction> trail, CheckpointTable.Row checkpoint) {
        long lastTrailCsn() {
            return trail.get(trail.size() - 1).csn().value();
        }
    }

    @BeforeAll
    static void replicateOneWorkloadIntoBothTargets() {
        pg = PgDatabase.create("rt_two_");
        h2 = run(settings(h2Home, "redotrail.clock", "simulated", "redotrail.workload.rate", "20000"));
        pgRun = run(settings(pgHome, "redotrail.clock", "simulated", "redotrail.workload.rate", "20000",
                "redotrail.target.jdbcUrl", pg.url(), "redotrail.target.user", "postgres", "redotrail.target.password", ""));
    }

    private static Run run(Settings s) {
        CliAccess.Played played = replicate(s, TRANSACTIONS, SEED, CATCH_UP); // fails on an abend
        CheckpointTable.Row row = checkpointRow(s).orElseThrow(() -> new AssertionError("no " + REPLICAT
                + " row in the checkpoint table of " + s.get("redotrail.target.jdbcUrl")));
        return new Run(s, played, readTrail(s.home(), s.get("redotrail.pump.trail")), row);
    }

    @AfterAll
    static void dropDatabase() {
        if (pg != null) pg.close();
    }

    @Test
    void targetsAreReallyH2AndPostgreSQL() throws SQLException {
        try (Connection a = target(h2.settings()); Connection b = target(pgRun.settings())) {
            assertEquals("H2", a.getMetaData().getDatabaseProductName(), "first target");
            assertEquals("PostgreSQL", b.getMetaData().getDatabaseProductName(), "second target");
        }
    }

    @Test
    void sameSeedGaveTheSameSourceAndTrail() {
        assertEquals(h2.played().stats().committedTransactions(), pgRun.played().stats().committedTransactions());
        assertEquals(h2.played().stats().committedRowChanges(), pgRun.played().stats().committedRowChanges());
        assertEquals(h2.played().stats().tables(), pgRun.played().stats().tables(), "row changes per table");
        assertEquals(h2.played().lastSelectedCsn(), pgRun.played().lastSelectedCsn(), "last selected commit CSN");
        List<String> all = SourceSchema.demo().tables().stream().map(TableDef::name).toList();
        assertTablesEqual(new TableComparer(SourceDatabase.jdbcUrl(h2Home), "sa", "", SourceDatabase.jdbcUrl(pgHome),
                "sa", ""), all, "source of the H2 run and source of the PostgreSQL run");
        // the same transactions at the same CSNs and commit times reached both remote trails
        assertEquals(h2.trail().stream().map(TwoTargetsIT::identity).toList(),
                pgRun.trail().stream().map(TwoTargetsIT::identity).toList(), "remote trail transactions");
    }

    @Test
    void eachTargetEqualsItsSource() {
        long rows = assertIdentical(h2.settings()).tables().stream().mapToLong(t -> t.sourceCount()).sum();
        assertTrue(rows > 1000, "too few rows to be a meaningful comparison: " + rows);
        assertIdentical(pgRun.settings());
    }

    @Test
    void h2AndPostgreSQLTargetsAreIdentical() {
        List<String> tables = CliAccess.selectedTables(h2.settings());
        assertEquals(tables, CliAccess.selectedTables(pgRun.settings()), "replicated tables");
        assertEquals(SourceSchema.demo().tables().size(), tables.size(), "the pump replicates every demo table: " + tables);
        Settings a = h2.settings(), b = pgRun.settings();
        assertTablesEqual(new TableComparer(a.get("redotrail.target.jdbcUrl"), a.get("redotrail.target.user", ""),
                a.get("redotrail.target.password", ""), b.get("redotrail.target.jdbcUrl"), b.get("redotrail.target.user", ""),
                b.get("redotrail.target.password", "")), tables, "H2 target and PostgreSQL target");
    }

    @Test
    void checkpointTablesHoldTheTrailsLastCsn() {
        for (Run r : List.of(h2, pgRun)) {
            String where = r.settings().get("redotrail.replicat.checkpointTable") + " " + REPLICAT + " in "
                    + r.settings().get("redotrail.target.jdbcUrl");
            assertEquals(r.lastTrailCsn(), r.checkpoint().logCsn().value(), where + ": LOG_CSN = last CSN of the trail");
            assertEquals(r.lastTrailCsn(), r.checkpoint().logCmpltCsn().value(), where + ": LOG_CMPLT_CSN = last CSN of the trail");
        }
        assertEquals(h2.lastTrailCsn(), pgRun.lastTrailCsn(), "last CSN of both trails");
        assertEquals(h2.checkpoint().logCsn(), pgRun.checkpoint().logCsn(), "LOG_CSN, H2 vs PostgreSQL");
        assertEquals(h2.checkpoint().logCmpltCsn(), pgRun.checkpoint().logCmpltCsn(), "LOG_CMPLT_CSN, H2 vs PostgreSQL");
        assertEquals(h2.checkpoint().completedXids(), pgRun.checkpoint().completedXids(), "LOG_CMPLT_XIDS, H2 vs PostgreSQL");
    }

    private static String identity(Transaction t) {
        return t.xid() + "@" + t.csn() + "/" + t.commitTimestampMillis();
    }
}
