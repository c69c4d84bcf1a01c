package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import io.redotrail.replicat.ReplicatApplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REPERROR and HANDLECOLLISIONS through the real routes and configuration, in the situation GoldenGate has
 * HANDLECOLLISIONS for: an initial load that overlaps the trail. A workload runs; then the keyed tables are
 * copied from source to target (the initial load, taken while the trail already holds those changes); then
 * more workload runs. The Replicat starts at the beginning of the trail, so it re-applies the changes the load
 * already holds.
 * <ul>
 *   <li>With the defaults (REPERROR DEFAULT ABEND, no HANDLECOLLISIONS) the first collision abends the group,
 *   naming the operation, table and trail position; nothing of the failed group is committed.</li>
 *   <li>With {@code redotrail.replicat.handleCollisions=true} the same trail applies to the end: duplicate
 *   inserts overwrite, key updates onto a loaded key delete the old row and overlay the new one, each counted;
 *   the target then equals the source row for row.</li>
 * </ul>
 * The keyless table is left out of the load: without a key an overlap cannot be recognised (GoldenGate's
 * HANDLECOLLISIONS needs keys too), so its rows come from the trail only.
 */
class ReplicatErrorsIT {
    static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    Path home;

    @Test
    void initialLoadOverlapAbendsByDefaultAndConvergesWithHandleCollisions() throws Exception {
        Settings s = settings(home);
        play(s, 2000, 31);
        CliAccess.prepareHome(s); // target schema and tables
        long loaded = initialLoad(s);
        assertTrue(loaded > 1000, "an initial load worth the name: " + loaded + " rows");
        CliAccess.Played more = play(s, 2000, 32);

        try (Pipeline p = Pipeline.start(s)) {
            String abend = awaitAbend(p, CATCH_UP);
            assertTrue(abend.contains("REP1") && abend.contains("at trail seqno") && abend.contains("INSERT on "),
                    "the abend names the group, the operation with its table, and the trail position: " + abend);
            assertTrue(abend.toLowerCase().contains("unique") || abend.toLowerCase().contains("duplicate")
                    || abend.contains("23505"), "a duplicate-key error: " + abend);
            assertTrue(p.abended());
        }

        Settings hc = settings(home, "redotrail.replicat.handleCollisions", "true");
        Pipeline p = Pipeline.start(hc); // a fresh context: the first run's abend is not its state
        try (p) {
            awaitApplied(p, hc, more.lastSelectedCsn(), CATCH_UP);
            ReplicatApplier r = replicat(p);
            ReplicatApplier.Counters c = r.getCounters();
            assertTrue(c.collisionInsertsOverwritten > 0, "duplicate inserts of loaded rows overwritten: " + c);
            // every row's insert is in this trail, so the replay re-creates what the load lacks: updates and
            // deletes find their rows (missing rows are ReplicatTargetTest's); key updates onto loaded keys do not
            assertTrue(c.collisionPkUpdatesOverwritten > 0, "key updates onto a key the load holds overwritten: " + c);
            assertEquals(0, c.discarded, c.toString());
        }
        assertTrue(p.abends().isEmpty(), abendMessages(p));
        assertIdentical(hc);
    }

    /** Copies the keyed selected tables from source to target, as an initial load; returns the rows copied. */
    private static long initialLoad(Settings s) throws SQLException {
        long rows = 0;
        try (Connection src = DriverManager.getConnection(SourceDatabase.jdbcUrl(s.home()), "sa", "");
             Connection dst = target(s)) {
            dst.setAutoCommit(false);
            for (String table : CliAccess.selectedTables(s)) {
                if (table.equals(SourceSchema.AUDIT_LOG)) continue;
                try (var st = src.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    StringBuilder cols = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) cols.append(i > 1 ? ", " : "").append(md.getColumnName(i));
                    String sql = "INSERT INTO " + table + " (" + cols + ") VALUES (" + "?, ".repeat(md.getColumnCount() - 1) + "?)";
                    try (PreparedStatement ps = dst.prepareStatement(sql)) {
                        while (rs.next()) {
                            for (int i = 1; i <= md.getColumnCount(); i++) ps.setObject(i, rs.getObject(i));
                            ps.addBatch();
                            rows++;
                        }
                        ps.executeBatch();
                    }
                }
            }
            dst.commit();
        }
        return rows;
    }
}
