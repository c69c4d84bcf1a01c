package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.ReportFile;
import io.redotrail.report.StatsText;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * START REPLICAT ..., ATCSN n | AFTERCSN n on real H2 and PostgreSQL ({@link TargetDb}) from a real trail of known CSNs (1001..1010, two rows each):
 * the target gets exactly the later transactions, the checkpoint row moves past the skipped ones, the report
 * says how many were skipped, and a later start without the option applies nothing twice.
 */
class ReplicatStartCsnTest extends ReplicatTargetFixture {
    List<Transaction> trail;

    void open(TargetDb.Kind kind) throws SQLException {
        db = new TargetDb(kind, dir);
        db.sql("CREATE TABLE %S%.EMP (ID BIGINT PRIMARY KEY, NAME VARCHAR(200))");
    }

    @BeforeEach
    void writeTrail() {
        Path ha = dir.resolve("dirdat/ha");
        try (TrailWriter w = TrailWriter.open(ha, "PUMP1", 1 << 20)) {
            w.append(txs(1, 11, 2));
        }
        trail = new ArrayList<>();
        try (TrailReader r = new TrailReader(ha, new TrailPosition(0, 0))) {
            for (List<Transaction> b = r.poll(4); !b.isEmpty(); b = r.poll(4)) trail.addAll(b);
        }
        assertEquals(10, trail.size());
    }

    ReplicatApplier applier(String atCsn, String afterCsn) {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("rep1");
        a.setHome(dir.toString());
        a.setJdbcUrl(db.url);
        a.setUser(db.user);
        a.setPassword(db.password);
        a.setCheckpointTable(db.schema + ".CHECKPOINT");
        a.setMap("MAP HR.*, TARGET " + db.schema + ".*;");
        a.setTrail("./dirdat/ha");
        a.setGroupTransOps(3);
        a.setAtCsn(atCsn);
        a.setAfterCsn(afterCsn);
        appliers.add(a);
        a.start();
        return a;
    }

    /** The trail in exchanges of three transactions, as the trail consumer hands them on. */
    void replicate(ReplicatApplier a) {
        for (int i = 0; i < trail.size(); i += 3) {
            Exchange e = new DefaultExchange(ctx);
            e.getIn().setBody(new ArrayList<>(trail.subList(i, Math.min(trail.size(), i + 3))));
            e.getIn().setHeader(io.redotrail.trail.camel.TrailConstants.TRAIL_CAUGHT_UP, i + 3 >= trail.size());
            a.process(e);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void atCsnAppliesFromThatCsnOn(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier("1006", "");
        replicate(a);
        assertEquals(ids(6, 10), ids());
        CheckpointTable.Row row = a.lastCheckpoint().orElseThrow();
        assertEquals(1010, row.logCsn().value());
        assertEquals(trail.get(9).trailEnd(), row.position());
        assertEquals(5, a.getAppliedTransactions());
        List<String> report = ReportFile.open(dir, "REP1").lines();
        assertTrue(report.stream().anyMatch(l -> l.endsWith("RTR-01001  REPLICAT REP1 starting with ATCSN 1006: transactions with CSN < 1006 are skipped.")), report.toString());
        assertTrue(report.stream().anyMatch(l -> l.endsWith("RTR-01002  REPLICAT REP1 ATCSN 1006: skipped 5 transaction(s); applying from CSN 1006.")), report.toString());
        assertTrue(report.stream().noneMatch(l -> l.contains("RTR-01006")), "skipping ended before the end of the trail: " + report);
        String stats = StatsText.all().render(GroupRuntimes.of(ctx, dir, "REP1").stats(), "REPLICAT", ZoneId.systemDefault());
        assertTrue(stats.contains("Replicating from HR.EMP to " + db.schema + ".EMP:"), stats);
        assertTrue(stats.contains("\tTotal inserts                   \t          10.00\n"), stats);

        // the next start has no ATCSN: it starts after the checkpoint, nothing is applied twice
        a.stop();
        ReplicatApplier again = applier("", "");
        replicate(again);
        assertEquals(ids(6, 10), ids());
        assertEquals(0, again.getAppliedTransactions());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void afterCsnSkipsThatCsnToo(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier("", "1006");
        replicate(a);
        assertEquals(ids(7, 10), ids());
        assertEquals(1010, a.lastCheckpoint().orElseThrow().logCsn().value());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void everythingSkippedStillMovesTheCheckpointAndSaysSoAtStop(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier("2000", "");
        replicate(a);
        assertEquals(List.of(), ids());
        assertEquals(1010, a.lastCheckpoint().orElseThrow().logCsn().value());
        a.stop();
        List<String> report = ReportFile.open(dir, "REP1").lines();
        assertTrue(report.stream().anyMatch(l -> l.endsWith("REPLICAT REP1 ATCSN 2000: skipped 10 transaction(s) so far (no later transaction yet).")), report.toString());
        // said once, when the Replicat first reached the end of its trail still skipping: a mistyped CSN is seen there
        List<String> atEnd = report.stream().filter(l -> l.contains("RTR-01006")).toList();
        assertEquals(1, atEnd.size(), report.toString());
        assertTrue(atEnd.get(0).endsWith("WARNING RTR-01006  REPLICAT REP1 ATCSN 2000: at the end of the trail after skipping 10"
                + " transaction(s), the last at CSN 1010; transactions with CSN < 2000 are skipped as they arrive. If 2000 is not"
                + " the CSN meant, stop REPLICAT REP1 before they come: a skipped transaction is not applied by a later start."), atEnd.get(0));
    }

    @Test
    void bothOrBadValuesAreRefusedNamingTheGroup() {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("rep1");
        a.setAtCsn("5");
        a.setAfterCsn("6");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, a::start);
        assertTrue(e.getMessage().startsWith("REP1: ATCSN 5 and AFTERCSN 6 both given"), e.getMessage());
        a.setAfterCsn("");
        a.setAtCsn("12x");
        e = assertThrows(IllegalArgumentException.class, a::start);
        assertTrue(e.getMessage().contains("ATCSN '12x' is not a CSN"), e.getMessage());
    }

    private static List<Long> ids(int fromTx, int toTx) {
        List<Long> out = new ArrayList<>();
        for (long n = fromTx; n <= toTx; n++) {
            out.add(n * 1000);
            out.add(n * 1000 + 1);
        }
        return out;
    }

    private List<Long> ids() throws SQLException {
        List<Long> out = new ArrayList<>();
        for (List<Object> r : db.rows("SELECT ID FROM %S%.EMP ORDER BY ID")) out.add(((Number) r.get(0)).longValue());
        return out;
    }
}
