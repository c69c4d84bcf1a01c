package io.redotrail.sim;

import io.redotrail.core.Heartbeat;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.RedoFormat;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoOp;
import io.redotrail.redo.RedoRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instance recovery of the simulated source, as Oracle's after a crash. A workload writes each group's redo first
 * and applies it to {@code db/source} afterwards, on another thread: killed in between, the redo holds commits the
 * database lacks (and transactions left open by sessions that died). When the database says its last workload did
 * not end cleanly ({@link SourceDatabase#clean()}), this reads every redo thread from its oldest log still online or
 * archived, replays in commit-SCN order each transaction committed since the killed workload started (idempotently,
 * {@link SourceDatabase#replayTransaction}: H2 killed with its host can keep part of a group it had not committed,
 * and was seen to come back with committed changes of the workload lost while later ones stayed),
 * and writes a
 * ROLLBACK record for each transaction the redo leaves open, so that a reader of the redo sees it end as the
 * database does. Changes to the heartbeat seed table are not applied: its row is rewritten by the next beat.
 * A commit above the applied SCN whose first changes are no longer in the redo (archived logs deleted) cannot be
 * applied: recovery stops naming it, and nothing is changed.
 * <p>
 * Called by whoever opens the source to write (a workload, a scenario) with the redo's writers open, before
 * writing; single-threaded.
 */
public final class SourceRecovery {
    /** What recovery did: transactions applied to the source, transactions rolled back in the redo. */
    public record Outcome(int applied, int rolledBack) {
        public boolean any() {
            return applied > 0 || rolledBack > 0;
        }
    }

    private static final class Tx {
        final Xid xid;
        final int thread;
        final boolean sawFirst;
        final List<RowChange> changes = new ArrayList<>();
        long commitScn;

        Tx(Xid xid, int thread, boolean sawFirst) {
            this.xid = xid;
            this.thread = thread;
            this.sawFirst = sawFirst;
        }
    }

    private SourceRecovery() {
    }

    public static Outcome recover(SourceDatabase db, RedoLogSink sink, Clock clock) {
        if (db.clean()) return new Outcome(0, 0);
        long applied = db.recoverFromScn();
        RedoLogConfig cfg = sink.config();
        Set<Integer> threads = ControlFile.read(RedoFormat.controlFile(cfg.redoDir())).map(c -> c.threads.keySet()).orElse(Set.of());
        Map<Xid, Tx> open = new LinkedHashMap<>();
        List<Tx> committed = new ArrayList<>();
        for (int t : threads) {
            try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), t, null).neededBy("source recovery")) {
                for (List<RedoRecord> batch = r.poll(10_000); !batch.isEmpty(); batch = r.poll(10_000)) {
                    for (RedoRecord rec : batch) read(rec, t, applied, open, committed);
                }
            }
        }
        // everything that could stop recovery half-way is refused before anything is changed
        for (Tx tx : open.values()) {
            if (!sink.writes(tx.thread)) {
                throw refused(cfg, "transaction " + tx.xid + " was left open on redo thread " + tx.thread + ", which this"
                        + " workload does not write (it writes threads " + sink.threads() + "): run it with"
                        + " redotrail.redo.threads = " + tx.thread + " or more");
            }
        }
        for (Tx tx : committed) {
            for (RowChange c : tx.changes) {
                if (!c.table().equals(Heartbeat.SEED) && db.schema().tables().stream().noneMatch(t -> t.name().equals(c.table()))) {
                    throw refused(cfg, "transaction " + tx.xid + " committed at SCN " + tx.commitScn + " changed table "
                            + c.table() + ", which this workload's schema does not have (a scenario's table? run that scenario again)");
                }
            }
            if (!tx.sawFirst) {
                throw refused(cfg, "transaction " + tx.xid + " committed at SCN " + tx.commitScn + ", above the SCN " + applied
                        + " the workload started at, but its first changes are in redo no longer available (archived logs deleted?)");
            }
        }
        committed.sort(Comparator.comparingLong(tx -> tx.commitScn));
        for (Tx tx : committed) {
            db.replayTransaction(tx.changes.stream().filter(c -> !c.table().equals(Heartbeat.SEED)).toList(), tx.commitScn);
        }
        // sessions that died with the workload: the database rolls them back, and its redo says so
        long now = clock.millis();
        for (Tx tx : open.values()) sink.append(tx.thread, RedoOp.ROLLBACK, tx.xid, Scn.of(sink.lastScn().value() + 1), now, false, null);
        sink.flush();
        db.workloadRunning(false, -1);
        return new Outcome(committed.size(), open.size());
    }

    /** Recovery refused before it changed anything: one message shape, naming the redo it read. */
    private static IllegalStateException refused(RedoLogConfig cfg, String why) {
        return new IllegalStateException("cannot recover the source database from its redo in " + cfg.redoDir() + ": " + why
                + "; nothing was changed");
    }

    private static void read(RedoRecord rec, int thread, long applied, Map<Xid, Tx> open, List<Tx> committed) {
        switch (rec.op()) {
            case COMMIT -> {
                Tx tx = open.remove(rec.xid());
                if (rec.scn().value() <= applied) return;
                if (tx == null) tx = new Tx(rec.xid(), thread, false);
                tx.commitScn = rec.scn().value();
                committed.add(tx);
            }
            case ROLLBACK -> open.remove(rec.xid());
            default -> open.computeIfAbsent(rec.xid(), x -> new Tx(x, thread, rec.first())).changes.add(rec.change());
        }
    }
}
