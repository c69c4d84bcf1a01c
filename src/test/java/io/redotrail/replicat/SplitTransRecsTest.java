package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.redotrail.replicat.BatchOrderTest.exchange;
import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPLIT_TRANS_RECS on the parallel Replicat: a large transaction is applied as pieces committed on their own, on
 * several appliers; _LOX names each piece by its operation range, so a restart (with other piece boundaries, or a
 * serial Replicat) applies exactly the operations no committed piece holds. The target table has a primary key:
 * an operation applied twice fails on it and the Replicat abends.
 */
@org.junit.jupiter.api.Timeout(120)
class SplitTransRecsTest extends ReplicatTargetFixture {
    @Test
    void piecesAreTheOperationsBetweenTheCommittedRangesCutToTheSize() {
        assertEquals(List.of(new TransactionPiece(0, 3, 7, false), new TransactionPiece(3, 3, 7, false),
                new TransactionPiece(6, 1, 7, false)), TransactionPiece.of(7, 3, List.of()));
        assertTrue(TransactionPiece.of(7, 3, List.of()).get(2).last());
        assertEquals(List.of(new TransactionPiece(0, 2, 7, false), new TransactionPiece(2, 3, 7, true),
                new TransactionPiece(5, 2, 7, false)), TransactionPiece.of(7, 2, List.of(new int[]{2, 3, 7})));
        assertEquals(List.of(new TransactionPiece(0, 2, 7, true), new TransactionPiece(2, 5, 7, false)),
                TransactionPiece.of(7, 0, List.of(new int[]{0, 2, 7})), "0: what is left in one piece");
        assertEquals(List.of(new TransactionPiece(0, 4, 7, true), new TransactionPiece(4, 3, 7, true)),
                TransactionPiece.of(7, 3, List.of(new int[]{4, 3, 7}, new int[]{0, 4, 7})), "ranges in any order");
        assertThrows(IllegalStateException.class, () -> TransactionPiece.of(7, 3, List.of(new int[]{0, 4, 7}, new int[]{3, 2, 7})));
        assertThrows(IllegalStateException.class, () -> TransactionPiece.of(7, 3, List.of(new int[]{5, 3, 7})));
        IllegalStateException counted = assertThrows(IllegalStateException.class,
                () -> TransactionPiece.of(7, 3, List.of(new int[]{0, 3, 8})), "recorded for 8 operations: never cut elsewhere");
        assertTrue(counted.getMessage().contains("[0+3/8]") && counted.getMessage().contains("transaction of 7 operations"),
                counted.getMessage());
        assertEquals(List.of(0, 1, 5, 6), TransactionPiece.notApplied(List.of(0, 1, 2, 3, 4, 5, 6).stream()
                .map(i -> tx("1.1.1", 1).insert("T", img("ID", (long) i)).build().changes().get(0)).toList(),
                List.of(new int[]{2, 3, 7})).stream().map(c -> ((Long) c.after().value(0)).intValue()).toList());
        assertTrue(TransactionPiece.startsApplied(List.of(new int[]{3, 1, 7}, new int[]{0, 2, 7})));
        assertFalse(TransactionPiece.startsApplied(List.of(new int[]{3, 1, 7})));
        assertEquals(List.of(2, 3, 7), java.util.Arrays.stream(TransactionPiece.parseSuffix("#2+3/7")).boxed().toList());
    }

    /**
     * Ten independent inserts with SPLIT_TRANS_RECS 3 on 3 appliers: four pieces, spread over the appliers (each
     * applier's row names the transaction), each listed in _LOX by its range; one transaction counted.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aLargeTransactionIsCommittedInPiecesOnSeveralAppliers(TargetDb.Kind kind) throws Exception {
        Transaction big = inserts(kind, "1.1.1", 101, 1, 10);
        ReplicatApplier r = parallel(3, 3);
        r.process(exchange(List.of(big), true));
        r.stop();
        assertEquals(ids(1, 10), ids());
        assertEquals(1, r.getAppliedTransactions(), "the pieces count as one transaction");
        assertEquals(Set.of("101/1.1.1#0+3/10", "101/1.1.1#3+3/10", "101/1.1.1#6+3/10", "101/1.1.1#9+1/10"), loxEntries(),
                "each piece listed by its range (kept: they are at the low watermark's CSN)");
        List<List<Object>> applierRows = db.rows("SELECT GROUP_KEY, LOG_CMPLT_XIDS FROM " + db.t("CHECKPOINT")
                + " WHERE GROUP_KEY <> " + GroupKey.of("REP1", HomeIdentity.of(dir)) + " ORDER BY GROUP_KEY");
        assertEquals(3, applierRows.size(), "every applier committed a piece: " + applierRows);
        for (List<Object> row : applierRows) assertEquals("1.1.1", row.get(1).toString().trim());
        assertEquals(101, r.lastCheckpoint().orElseThrow().logCsn().value(), "the low watermark is the whole transaction");
    }

    /**
     * A spilled transaction (its changes streamed, random access refused) is split as it streams: every row applied
     * once.
     */
    @Test
    void aSpilledTransactionIsSplitAsItsChangesStream() throws Exception {
        Transaction listed = inserts(TargetDb.Kind.H2, "1.1.1", 101, 1, 25);
        List<io.redotrail.core.RowChange> all = listed.changes();
        Transaction streamed = listed.withChanges(new io.redotrail.core.StreamedChanges() {
            @Override
            public java.util.Iterator<io.redotrail.core.RowChange> iterator() {
                return all.iterator();
            }

            @Override
            public int size() {
                return all.size();
            }
        });
        ReplicatApplier r = parallel(3, 4);
        r.process(exchange(List.of(streamed), true));
        r.stop();
        assertEquals(ids(1, 25), ids());
        assertEquals(7, loxEntries().size(), "seven pieces: " + loxEntries());
    }

    /**
     * After a crash: the low watermark at T100, the piece of T200 holding its operations 2-4 and T300 committed. The
     * restart, with other piece boundaries (2), applies operations 0-1 and 5-6 of T200 only; the watermark reaches T300.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aRestartAppliesOnlyTheOperationsNoCommittedPieceHolds(TargetDb.Kind kind) throws Exception {
        List<Transaction> trail = crashed(kind, new TransactionPiece(2, 3, 7, false));
        ReplicatApplier r = parallel(2, 2);
        r.process(exchange(trail, true));
        r.stop();
        assertEquals(everyRow(), new TreeSet<>(ids()));
        assertEquals(300, r.lastCheckpoint().orElseThrow().logCsn().value());
        assertEquals(0, db.rows("SELECT 1 FROM " + db.t("CHECKPOINT_LOX") + " WHERE CAST(LOG_CMPLT_CSN AS BIGINT) < 300").size());
    }

    /** The same crash, finished by a serial Replicat: it applies what the piece left of T200, nothing twice. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aSerialReplicatAfterTheCrashAppliesWhatThePiecesLeft(TargetDb.Kind kind) throws Exception {
        List<Transaction> trail = crashed(kind, new TransactionPiece(0, 4, 7, false));
        ReplicatApplier serial = db.applier(new DefaultCamelContext(), dir);
        appliers.add(serial);
        serial.process(exchange(trail.subList(1, 3), true)); // re-read from the low watermark
        assertEquals(everyRow(), new TreeSet<>(ids()));
        assertEquals(300, serial.lastCheckpoint().orElseThrow().logCsn().value());
        assertEquals(1, serial.getAppliedTransactions(), "T200's rest; T300 was listed");
    }

    /**
     * Pieces larger than the in-flight window (the queue limit per applier) would go one at a time: the window
     * holds a piece per applier, so two independent 60-operation pieces are on two appliers at once.
     */
    @Test
    void theInFlightWindowHoldsAPiecePerApplier() throws Exception {
        ParallelScheduler s = new ParallelScheduler(2, false, 10, 60);
        Transaction tx = tx("1.1.1", 101).insert("T", img("ID", 1L)).build();
        List<ParallelUnit> units = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            units.add(new ParallelUnit(tx, java.util.Collections.nCopies(60, null), Set.of()));
            units.get(i).piece = new TransactionPiece(60 * i, 60, 120, false);
            s.dispatch(units.get(i)); // the second would block until the first committed without the piece's room
        }
        assertEquals(2, s.inFlight());
        assertTrue(units.get(0).applier != units.get(1).applier, "on two appliers at once");
    }

    /**
     * A crash between a piece's commit and its discard records' append: the side file names the piece
     * ({@code xid#from+count}), and its records are kept exactly when _LOX lists that piece.
     */
    @Test
    void aPiecesDiscardRecordsAreKeptWhenThatPieceIsListed() {
        ReplicatCheckpoints cp = new ReplicatCheckpoints(new ReplicatApplier());
        cp.loadedAbove(Set.of("200/1.1.200#2+3/7", "300/1.1.300"));
        assertTrue(cp.applied(200, "1.1.200#2+3/7"));
        assertFalse(cp.applied(200, "1.1.200#0+2/7"), "another piece of the transaction did not commit");
        assertFalse(cp.applied(200, "1.1.200"), "the whole transaction did not commit");
        assertTrue(cp.applied(300, "1.1.300"));
        assertTrue(cp.applied(300, "1.1.300#0+2/4"), "a piece of a transaction listed whole");
        assertEquals(List.of(2, 3, 7), cp.appliedPieces(tx("1.1.200", 200).build()).stream().map(r -> List.of(r[0], r[1], r[2]))
                .findFirst().orElseThrow());
    }

    /** A damaged piece entry in _LOX is refused at start, naming the table, the group, the row and the entry. */
    @Test
    void aDamagedPieceEntryIsRefusedNamingTheTableAndTheEntry() throws Exception {
        inserts(TargetDb.Kind.H2, "1.1.1", 100, 1, 1);
        CheckpointTable table = new CheckpointTable(db.t("CHECKPOINT"), dir.toString());
        try (Connection c = db.connect()) {
            table.create(c);
            c.createStatement().execute("INSERT INTO " + table.loxName() + " (GROUP_NAME, GROUP_KEY, LOG_CMPLT_CSN, "
                    + "LOG_CMPLT_XIDS_SEQ, LOG_CMPLT_XIDS) VALUES ('REP1', " + table.key("REP1")
                    + ", '200', 1073741825, '200/1.1.200#2+x/7')");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ParallelCheckpoints(table, "REP1").appliedAbove(c));
            assertTrue(e.getMessage().contains(table.loxName()) && e.getMessage().contains("group REP1")
                    && e.getMessage().contains("LOG_CMPLT_CSN 200") && e.getMessage().contains("'200/1.1.200#2+x/7'"), e.getMessage());
        }
    }

    /** {@code from..to} inserted into table A by one transaction (the target is made on first use). */
    private Transaction inserts(TargetDb.Kind kind, String xid, long csn, long from, long to) throws Exception {
        if (db == null) {
            db = new TargetDb(kind, dir);
            db.sql("CREATE TABLE %S%.A (ID BIGINT PRIMARY KEY, V VARCHAR(20))");
        }
        Tx t = tx(xid, csn);
        for (long i = from; i <= to; i++) t.insert(db.t("A"), img("ID", i, "V", "v" + i));
        return t.build();
    }

    /**
     * The trail T100 (row 100), T200 (rows 1-7), T300 (row 300), and what a parallel run that died left: T100 applied
     * with the low watermark at it, {@code piece} of T200 committed by applier 1 and T300 by applier 2, each with its
     * _LOX row.
     */
    private List<Transaction> crashed(TargetDb.Kind kind, TransactionPiece piece) throws Exception {
        Transaction watermark = inserts(kind, "1.1.100", 100, 100, 100);
        Transaction split = inserts(kind, "1.1.200", 200, 1, 7);
        Transaction above = inserts(kind, "1.1.300", 300, 300, 300);
        CheckpointTable table = new CheckpointTable(db.t("CHECKPOINT"), dir.toString());
        try (Connection c = db.connect()) {
            table.create(c);
            c.setAutoCommit(false);
            ParallelCheckpoints rows = new ParallelCheckpoints(table, "REP1");
            insert(c, watermark, 0, watermark.size());
            rows.watermark(c, watermark);
            c.commit();
            insert(c, split, piece.from(), piece.count());
            rows.applied(c, 1, List.of(split), java.util.Collections.singletonList(piece));
            c.commit();
            insert(c, above, 0, above.size());
            rows.applied(c, 2, List.of(above));
            c.commit();
        }
        return List.of(watermark, split, above);
    }

    /** The rows of that trail, applied once each. */
    private static Set<Long> everyRow() {
        Set<Long> out = new TreeSet<>(ids(1, 7));
        out.add(100L);
        out.add(300L);
        return out;
    }

    private void insert(Connection c, Transaction tx, int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            long id = (Long) tx.changes().get(i).after().value(0);
            c.createStatement().execute("INSERT INTO " + db.t("A") + " VALUES (" + id + ", 'v" + id + "')");
        }
    }

    private ReplicatApplier parallel(int appliersCount, int splitRecs) {
        ReplicatApplier r = db.applier(new DefaultCamelContext(), dir);
        r.setParallel(true);
        r.setApplyParallelism(appliersCount);
        r.setSplitTransRecs(splitRecs);
        appliers.add(r);
        return r;
    }

    private List<Long> ids() throws Exception {
        return db.rows("SELECT ID FROM " + db.t("A") + " ORDER BY ID").stream().map(r -> ((Number) r.get(0)).longValue()).toList();
    }

    private static List<Long> ids(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(i);
        return out;
    }

    private Set<String> loxEntries() throws Exception {
        Set<String> out = new TreeSet<>();
        for (List<Object> r : db.rows("SELECT LOG_CMPLT_XIDS FROM " + db.t("CHECKPOINT_LOX"))) {
            for (String e : r.get(0).toString().split(",")) out.add(e.trim());
        }
        return out;
    }
}
