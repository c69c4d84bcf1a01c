package io.redotrail.replicat;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import static io.redotrail.replicat.ReplicatTargetTest.exchange;
import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ALTER REPLICAT ..., EXTSEQNO 0, EXTRBA 0 after transactions were applied: the Replicat reads them again and applies
 * none twice (its checkpoint row's CSN watermark holds them), and its row's position follows the re-read, so a
 * restart, INFO REPLICAT and PURGEOLDEXTRACTS see where it is rather than where ALTER put it; the watermark never
 * moves back. Serial and parallel, H2 and PostgreSQL.
 */
class ReadBackTest extends ReplicatTargetFixture {

    ReplicatApplier replicat(boolean parallel) {
        ReplicatApplier a = applier();
        if (parallel) {
            a.setParallel(true);
            a.setApplyParallelism(2);
        }
        return a;
    }

    List<Object> row() throws Exception {
        List<Object> r = db.rows("SELECT SEQNO, RBA, LOG_CMPLT_CSN FROM %S%.CHECKPOINT WHERE GROUP_NAME = 'REP1' AND GROUP_KEY = "
                + GroupKey.of("REP1", HomeIdentity.of(dir))).get(0);
        return List.of(((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue(), r.get(2).toString().trim());
    }

    /** What ALTER REPLICAT rep1, EXTSEQNO 0, EXTRBA 0 does to a stopped group: the .cpr first, then the table row. */
    void alterBackToTheStart() throws Exception {
        CheckpointFile file = new CheckpointFile(CheckpointFile.replicatFile(dir, "REP1"));
        ProcessCheckpoint cp = file.read().orElseThrow();
        TrailReadCheckpoint r = cp.trailRead();
        file.write(new ProcessCheckpoint(cp.group(), cp.processType(), cp.redoReads(),
                new TrailReadCheckpoint(r.trail(), r.startup(), r.startupTimestampMillis(), new TrailPosition(0, 0), 0),
                cp.writes(), cp.brPrevious(), cp.brBegin(), cp.brEnd(), cp.startTimeMillis(), System.currentTimeMillis(),
                cp.stopStatus()));
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            assertEquals(true, new CheckpointTable(db.schema + ".CHECKPOINT", dir.toString()).reposition(c, "REP1", new TrailPosition(0, 0)));
            c.commit();
        }
    }

    @ParameterizedTest
    @CsvSource({"H2, false", "POSTGRESQL, false", "H2, true", "POSTGRESQL, true"})
    void aReplicatMovedBackAppliesNothingTwiceAndItsRowFollowsTheReRead(TargetDb.Kind kind, boolean parallel) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID BIGINT PRIMARY KEY, V VARCHAR(20))");
        String t = db.t("T");
        List<Transaction> applied = new ArrayList<>();
        for (int i = 1; i <= 5; i++) applied.add(tx("1.1." + i, 100 + i).insert(t, img("ID", (long) i, "V", "v" + i)).build());
        ReplicatApplier first = replicat(parallel);
        first.process(exchange(applied.toArray(Transaction[]::new)));
        first.stop();
        List<Object> atEnd = List.of(1L, 105L * 100 + 50, "105");
        assertEquals(atEnd, row());

        alterBackToTheStart();
        assertEquals(List.of(0L, 0L, "105"), row(), "ALTER moved the position, not the watermark");
        ReplicatApplier again = replicat(parallel);
        again.process(exchange(applied.subList(0, 3).toArray(Transaction[]::new)));
        again.process(exchange(applied.subList(3, 5).toArray(Transaction[]::new))); // duplicate keys, were they applied
        again.stop();
        assertEquals(5, db.count("T"));
        assertEquals(atEnd, row(), "the row followed the re-read to where it left off; its CSN stayed");

        ReplicatApplier later = replicat(parallel);
        later.process(exchange(tx("1.1.6", 106).insert(t, img("ID", 6L, "V", "v6")).build()));
        later.stop();
        assertEquals(List.of(1L, 106L * 100 + 50, "106"), row());
        assertEquals(6, db.count("T"));
    }
}
