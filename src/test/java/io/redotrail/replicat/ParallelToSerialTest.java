package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A serial Replicat started where a parallel run stopped without a graceful stop (kill -9, abend): the parallel
 * run's low watermark lags what its appliers committed, listed in _LOX. The serial run re-reads from the watermark;
 * it must skip what _LOX lists (a keyless table would otherwise get the row twice, silently) and keep those rows
 * until its own checkpoint passes them, across its own restarts.
 */
class ParallelToSerialTest extends ReplicatTargetFixture {
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aSerialStartSkipsWhatTheParallelRunListedAboveItsWatermarkAndKeepsItUntilPassed(TargetDb.Kind kind) throws Exception {
        Transaction t100 = nokey(kind, 100), t150 = nokey(kind, 150), t200 = nokey(kind, 200), t300 = nokey(kind, 300);
        // the parallel run: T100 applied and the low watermark at it; applier 1 committed T200 (T150 was still
        // on another applier when the process died), its row and its _LOX row in the same target transaction
        parallelRun(t100, t200);

        // serial, from the watermark: T150 applied, T200 skipped; the _LOX row stays (150 is below 200)
        applier().process(exchange(t150));
        assertEquals(List.of(List.of(100, "t100"), List.of(150, "t150"), List.of(200, "t200")), rows());
        assertEquals(1, db.rows("SELECT 1 FROM " + db.schema + ".CHECKPOINT_LOX").size(), "kept while below T200's CSN");

        // a restart re-reads from T150: nothing twice; T300's commit passes T200's CSN and the row goes
        appliers.remove(0).stop();
        applier().process(exchange(t150, t200, t300));
        assertEquals(List.of(List.of(100, "t100"), List.of(150, "t150"), List.of(200, "t200"), List.of(300, "t300")), rows());
        assertEquals(0, db.rows("SELECT 1 FROM " + db.schema + ".CHECKPOINT_LOX").size());

        // and a later restart over the whole trail still applies nothing twice (by the checkpoint row alone now)
        appliers.remove(0).stop();
        applier().process(exchange(t100, t150, t200, t300));
        assertEquals(4, rows().size());
    }

    /**
     * The parallel run committed everything up to the end of the trail but died before its low watermark got there:
     * the serial run has nothing to apply, and its checkpoint row still moves to the end of the trail (it stayed at
     * the parallel watermark, and a Replicat at the end of its trail never caught up: ParallelReplicatKillIT's final
     * serial run waited for it for 2 minutes).
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void whenTheParallelRunListedEverythingToTheEndTheSerialCheckpointStillGetsThere(TargetDb.Kind kind) throws Exception {
        Transaction t100 = nokey(kind, 100), t150 = nokey(kind, 150), t200 = nokey(kind, 200);
        parallelRun(t100, t150, t200); // T150 and T200 committed by appliers, the watermark still at T100

        ReplicatApplier serial = applier();
        serial.process(exchange(t150, t200));
        assertEquals(List.of(List.of(100, "t100"), List.of(150, "t150"), List.of(200, "t200")), rows());
        assertEquals(200, serial.lastCheckpoint().orElseThrow().logCsn().value(), "the checkpoint is at the end of the trail");
        assertEquals(0, serial.getAppliedTransactions(), "nothing applied");
        assertEquals(2, serial.getSkippedTransactions());

        // restarted, it starts after T200 and applies nothing twice
        appliers.remove(0).stop();
        ReplicatApplier again = applier();
        again.process(exchange(t100, t150, t200));
        assertEquals(3, rows().size());
        assertEquals(200, again.lastCheckpoint().orElseThrow().logCsn().value());
    }

    /** The transaction at CSN {@code n} inserting row (n, 'tn') into the keyless table (created with the target on first use). */
    private Transaction nokey(TargetDb.Kind kind, int n) throws Exception {
        if (db == null) {
            db = new TargetDb(kind, dir);
            db.sql("CREATE TABLE %S%.NOKEY (A INT, B VARCHAR(20))");
        }
        return tx("1.1." + n, n).insert(db.t("NOKEY"), img("A", n, "B", "t" + n)).build();
    }

    /**
     * What a parallel run that died left: {@code watermark} applied with the low watermark at it, and each of
     * {@code above} committed by an applier of its own with its _LOX row (its row and the _LOX row in one target
     * transaction), the watermark not moved past them.
     */
    private void parallelRun(Transaction watermark, Transaction... above) throws Exception {
        CheckpointTable table = new CheckpointTable(db.schema + ".CHECKPOINT", dir.toString());
        try (Connection c = db.connect()) {
            table.create(c);
            c.setAutoCommit(false);
            ParallelCheckpoints rows = new ParallelCheckpoints(table, "REP1");
            insert(c, watermark);
            rows.watermark(c, watermark);
            c.commit();
            for (int i = 0; i < above.length; i++) {
                insert(c, above[i]);
                rows.applied(c, i + 1, List.of(above[i]));
                c.commit();
            }
        }
    }

    private void insert(Connection c, Transaction tx) throws Exception {
        long n = tx.csn().value();
        c.createStatement().execute("INSERT INTO " + db.t("NOKEY") + " VALUES (" + n + ", 't" + n + "')");
    }

    private List<List<Object>> rows() throws Exception {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : db.rows("SELECT A, B FROM %S%.NOKEY ORDER BY A")) {
            out.add(List.of(((Number) r.get(0)).intValue(), r.get(1).toString().trim()));
        }
        return out;
    }

    @Override
    ReplicatApplier applier() {
        ReplicatApplier a = db.applier(new DefaultCamelContext(), dir); // a context per run, as a restarted process
        appliers.add(a);
        return a;
    }

    private static Exchange exchange(Transaction... txs) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setBody(Arrays.asList(txs));
        return e;
    }
}
