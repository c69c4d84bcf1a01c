package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel Replicat's _LOX rows on a real H2 checkpoint table: one applier commit lists its transactions in as
 * few rows as fit LOG_CMPLT_XIDS, each row under the highest CSN it lists; a restart reads back exactly the
 * transactions listed (and rows of one bare XID, as written before); the low watermark deletes a row only once
 * everything it lists is below it.
 */
class ParallelCheckpointsTest {
    @TempDir
    Path dir;
    TargetDb db;
    Connection conn;

    @AfterEach
    void tearDown() throws Exception {
        if (conn != null) conn.close();
        if (db != null) db.close();
    }

    @Test
    void aCommitListsItsTransactionsInRowsThatFitAndTheWatermarkDeletesOnlyRowsWhollyBelowIt() throws Exception {
        db = new TargetDb(TargetDb.Kind.H2, dir);
        conn = db.connect();
        CheckpointTable table = new CheckpointTable(db.schema + ".CKPT");
        table.create(conn);
        ParallelCheckpoints rows = new ParallelCheckpoints(table, "REP1");
        // 300 transactions, CSN 1000..1299, not in CSN order within the commit (a waiting one joined the queue late)
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long csn = 1000 + (i == 0 ? 299 : i == 299 ? 0 : i);
            txs.add(tx("7." + (i % 48) + "." + (900_000_000_000L + csn), csn).insert(db.t("X"), img("ID", (long) i)).build());
        }
        rows.applied(conn, 1, txs);
        conn.commit();
        Set<String> expected = new HashSet<>();
        for (Transaction t : txs) expected.add(ParallelCheckpoints.loxKey(t));
        assertEquals(expected, rows.appliedAbove(conn));
        List<List<Object>> lox = db.rows("SELECT LOG_CMPLT_CSN, LENGTH(LOG_CMPLT_XIDS) FROM " + db.schema + ".CKPT_LOX ORDER BY 1");
        assertTrue(lox.size() > 1 && lox.size() < 10, "a few rows of up to 2000 characters: " + lox);
        for (List<Object> r : lox) assertTrue(((Number) r.get(1)).intValue() <= CheckpointTable.XIDS_WIDTH, lox.toString());
        assertEquals("1299", lox.get(lox.size() - 1).get(0).toString().trim(), "the first transaction's CSN is the highest");

        // a row as written before: one bare XID at its CSN
        try (var st = conn.createStatement()) {
            st.execute("INSERT INTO " + db.schema + ".CKPT_LOX VALUES ('REP1', " + CheckpointTable.groupKey("REP1")
                    + ", '2000', 1073741825, '1.2.7')");
        }
        conn.commit();
        assertTrue(rows.appliedAbove(conn).contains("2000/1.2.7"));

        // the watermark at CSN 1299 leaves the row listing 1299 and the old row at 2000; everything else goes
        rows.watermark(conn, txs.get(0));
        conn.commit();
        Set<String> left = rows.appliedAbove(conn);
        assertTrue(left.contains("1299/" + txs.get(0).xid()) && left.contains("2000/1.2.7"), left.toString());
        assertEquals(2, db.rows("SELECT 1 FROM " + db.schema + ".CKPT_LOX").size());

        // a serial Replicat reading the group's row (as after switching back from PARALLEL): the row under the
        // watermark's CSN lists entries of lower CSNs too; only the XID at that CSN is a completed XID, as a bare XID
        CheckpointTable.Row row = table.read(conn, "REP1").orElseThrow();
        assertEquals(1299, row.logCmpltCsn().value());
        assertEquals(Set.of(txs.get(0).xid().toString()), row.completedXids());
    }
}
