package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupStats;
import io.redotrail.replicat.error.RepError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a failed group one operation at a time, each under a savepoint, where HANDLECOLLISIONS and then
 * REPERROR decide (IGNORE, DISCARD to discard records, RETRYOP, TRANSABORT, TRANSDISCARD, ABEND). Leaves the group's
 * target transaction open for its caller to commit with the checkpoint row ({@link GroupApplier}, or a parallel
 * applier with its applier row and _LOX rows); returns the discard records and counters that count only once that
 * commit succeeds. Runs on a {@link Site}: the session's connection (serial) or an applier's own (parallel). Logs
 * under the {@link ReplicatApplier} logger.
 * <p>
 * Not thread-safe: one per thread that applies (the serial Replicat's, under its lock, or one per parallel applier);
 * what it shares (REPERROR rules, discard file formatting, settings) is read-only while it runs.
 */
final class OperationReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    /** What a replay leaves to record after the commit: discard records and per-group counters. */
    record Replayed(StringBuilder discards, ReplicatApplier.Counters counters) {
    }

    /** REPERROR TRANSABORT: roll the group back and replay it. */
    private static final class TransAbort extends RuntimeException {
        final Transaction tx;
        final RepError.Rule rule;
        final ApplyError error;

        TransAbort(Transaction tx, RepError.Rule rule, ApplyError error) {
            super(error.getMessage(), null, false, false);
            this.tx = tx;
            this.rule = rule;
            this.error = error;
        }
    }

    /** REPERROR TRANSDISCARD: roll the group back and replay it with this source transaction discarded whole. */
    private static final class TransDiscard extends RuntimeException {
        final Transaction tx;
        final ApplyError error;

        TransDiscard(Transaction tx, ApplyError error) {
            super(error.getMessage(), null, false, false);
            this.tx = tx;
            this.error = error;
        }
    }

    /** A change's target table and its mapped image. */
    record Resolved(TargetResolver.Target tg, RowChange m) {
    }

    /** Where a replay applies: a connection, its statement applier, and each change's target. */
    interface Site {
        Connection conn();

        ChangeApplier applier();

        /** Rolls the whole target transaction back and forgets what the applier held. */
        void rollback();

        /** The {@code index}-th change of {@code tx} resolved and mapped; an {@link ApplyError} when it cannot be. */
        Resolved resolve(Transaction tx, int index, RowChange ch) throws SQLException;

        /** A TRANSABORT was just rolled back, before its retry (the parallel Replicat counts them as they happen). */
        default void transAborted() {
        }
    }

    /** The serial Replicat's site: the session's connection, targets resolved on it. */
    static Site on(TargetSession session) {
        return new Site() {
            @Override
            public Connection conn() {
                return session.conn();
            }

            @Override
            public ChangeApplier applier() {
                return session.applier();
            }

            @Override
            public void rollback() {
                session.rollbackQuietly();
                session.applier().reset();
            }

            @Override
            public Resolved resolve(Transaction tx, int index, RowChange ch) throws SQLException {
                TargetResolver.Target tg = session.targets().target(tx, ch);
                return new Resolved(tg, session.targets().map(tx, ch, tg));
            }
        };
    }

    private final ReplicatApplier cfg;
    private final TargetSession session;
    private final Site site;
    /** Counted per attempt, kept even when the group rolls back: RETRYOP retries, TRANSABORT aborts. */
    private final ReplicatApplier.Counters attempts;
    /** STATS tally of the replay in progress (the group's, see {@link GroupApplier}). */
    private GroupStats.Tally counting;

    /** {@code session} gives the REPERROR rules and the discard file; {@code site} the connection to replay on. */
    OperationReplayer(ReplicatApplier cfg, TargetSession session, Site site, ReplicatApplier.Counters attempts) {
        this.cfg = cfg;
        this.session = session;
        this.site = site;
        this.attempts = attempts;
    }

    /** Replays the group (again after each REPERROR TRANSABORT) until it has applied or decided every operation. */
    Replayed replay(List<Transaction> txs, GroupStats.Tally counted) throws SQLException {
        counting = counted;
        Map<Transaction, Integer> aborts = new IdentityHashMap<>();
        Map<Transaction, ApplyError> transDiscarded = new IdentityHashMap<>();
        while (true) {
            StringBuilder discards = new StringBuilder();
            ReplicatApplier.Counters c = new ReplicatApplier.Counters();
            counted.clear(); // STATS: what this attempt applies or discards
            try {
                for (Transaction tx : txs) {
                    ApplyError whole = transDiscarded.get(tx);
                    if (whole != null) {
                        discardWhole(tx, whole, discards, c);
                        continue;
                    }
                    List<RowChange> changes = tx.changes();
                    for (int i = 0; i < changes.size(); i++) {
                        RowChange ch = changes.get(i);
                        counted.add(ch.table(), ch.op());
                        applyOne(tx, i, ch, discards, c);
                    }
                }
                return new Replayed(discards, c);
            } catch (TransDiscard td) {
                site.rollback();
                transDiscarded.put(td.tx, td.error);
                LOG.warn("{}: REPERROR TRANSDISCARD: transaction XID {} CSN {} ({} operations) goes to {} whole: {}",
                        cfg.getGroup(), td.tx.xid(), td.tx.csn(), td.tx.size(), session.discard().path(), td.error.getMessage());
            } catch (TransAbort ta) {
                site.rollback();
                int n = aborts.merge(ta.tx, 1, Integer::sum);
                if (n > ta.rule.maxRetries()) {
                    throw new ReplicatException(ta.error.getMessage() + " (REPERROR TRANSABORT: gave up after "
                            + ta.rule.maxRetries() + " retries)", ta.error);
                }
                attempts.transAborts++;
                site.transAborted();
                LOG.warn("{}: REPERROR TRANSABORT ({}/{}): {}", cfg.getGroup(), n, ta.rule.maxRetries(), ta.error.getMessage());
                sleep();
            }
        }
    }

    private void applyOne(Transaction tx, int index, RowChange ch, StringBuilder discards, ReplicatApplier.Counters c)
            throws SQLException {
        String group = cfg.getGroup();
        ChangeApplier applier = site.applier();
        int attempt = 0;
        while (true) {
            ApplyError err;
            TargetResolver.Target tg = null;
            RowChange m = null;
            Savepoint sp = null;
            try {
                Resolved r = site.resolve(tx, index, ch);
                tg = r.tg();
                m = r.m();
                sp = site.conn().setSavepoint();
                if (applier.executeOne(tx, m, tg.table(), tg.keyCols(), tg.derived()) == 0 && m.op() != ChangeOp.INSERT) {
                    throw tg.notFound(group, applier, tx, m);
                }
                return;
            } catch (ApplyError e) {
                err = e;
            } catch (SQLException e) {
                err = new ApplyError(RepError.kindOf(e), group + ": " + (tg == null ? ch.op() + " on " + ch.table()
                        : applier.describe(tx, m, tg.table(), tg.keyCols()))
                        + " failed: " + e.getMessage() + ChangeStatements.where(tx), e, applier.lastSql());
            }
            if (sp != null) site.conn().rollback(sp);
            if (cfg.isHandleCollisions() && m != null && collision(tx, m, tg, err, c)) return;
            RepError.Rule rule = session.repError().ruleFor(err.kind, err.sqlError);
            switch (rule.response()) {
                case IGNORE -> {
                    c.ignored++;
                    counting.ignored(ch.table(), ch.op());
                    LOG.debug("{}: REPERROR IGNORE: {}", group, err.getMessage());
                    return;
                }
                case DISCARD -> {
                    c.discarded++;
                    counting.discarded(ch.table(), ch.op());
                    String what = (err.kind == null ? "" : err.kind + ": ") + err.getMessage();
                    discards.append(session.discard().format("DISCARD", what, err.sql, tx, ch, m == null ? "(unmapped)" : m.table()));
                    session.discard().checkRoomEarly(discards);
                    LOG.warn("{}: REPERROR DISCARD to {}: {}", group, session.discard().path(), err.getMessage());
                    return;
                }
                case RETRYOP -> {
                    if (attempt++ < rule.maxRetries()) {
                        attempts.retriedOps++; // counted even when the group later rolls back
                        sleep();
                        continue;
                    }
                    throw new ReplicatException(err.getMessage() + " (REPERROR RETRYOP: gave up after " + rule.maxRetries()
                            + " retries)", err);
                }
                case TRANSABORT -> throw new TransAbort(tx, rule, err);
                case TRANSDISCARD -> throw new TransDiscard(tx, err);
                default -> throw err;
            }
        }
    }

    /** TRANSDISCARD: every operation of the transaction to the discard file, none applied. */
    private void discardWhole(Transaction tx, ApplyError err, StringBuilder discards, ReplicatApplier.Counters c) {
        String what = (err.kind == null ? "" : err.kind + ": ") + err.getMessage();
        List<RowChange> changes = tx.changes();
        for (int i = 0; i < changes.size(); i++) {
            RowChange ch = changes.get(i);
            String target;
            try {
                target = site.resolve(tx, i, ch).m().table();
            } catch (ApplyError | SQLException e) {
                target = "(unmapped)";
            }
            discards.append(session.discard().format("TRANSDISCARD", what, err.sql, tx, ch, target));
            session.discard().checkRoomEarly(discards);
            c.discarded++;
            counting.add(ch.table(), ch.op());
            counting.discarded(ch.table(), ch.op());
        }
        c.transDiscarded++;
    }

    /**
     * HANDLECOLLISIONS: a duplicate insert overwrites the row (update by key with the after image); an update
     * or delete that finds no row is ignored, except a key-changing update, which inserts the after image; a
     * key-changing update whose new key exists deletes the old row and overlays the after image on the new one.
     * Returns false when the collision could not be resolved (REPERROR then decides).
     */
    private boolean collision(Transaction tx, RowChange m, TargetResolver.Target tg, ApplyError err,
                              ReplicatApplier.Counters c) throws SQLException {
        if ("DUPLICATE".equals(err.kind) && m.op() == ChangeOp.INSERT) {
            RowImage newKey = newKey(m, tg);
            if (newKey == null) return false;
            if (tryOne(tx, new RowChange(m.table(), ChangeOp.UPDATE, newKey, m.after()), tg) == 1) {
                c.collisionInsertsOverwritten++;
                return true;
            }
            return false;
        }
        if ("DUPLICATE".equals(err.kind) && ChangeStatements.changesKey(m, tg.table(), tg.keyCols())) {
            // GoldenGate: a key update whose new key exists deletes the row with the old key (it would be gone had
            // the update worked), then overlays the after image on the row with the new key
            RowImage newKey = newKey(m, tg);
            if (newKey == null) return false;
            Savepoint sp = site.conn().setSavepoint();
            try {
                site.applier().executeOne(tx, new RowChange(m.table(), ChangeOp.DELETE, m.before(), null), tg.table(), tg.keyCols(), tg.derived());
                if (site.applier().executeOne(tx, new RowChange(m.table(), ChangeOp.UPDATE, newKey, m.after()),
                        tg.table(), tg.keyCols(), tg.derived()) == 1) {
                    c.collisionPkUpdatesOverwritten++;
                    return true;
                }
            } catch (SQLException | ApplyError e) {
                // not resolved: REPERROR decides, as without HANDLECOLLISIONS
            }
            site.conn().rollback(sp);
            return false;
        }
        if ("NOTFOUND".equals(err.kind)) {
            if (m.op() == ChangeOp.DELETE) {
                c.collisionDeletesIgnored++;
                return true;
            }
            if (ChangeStatements.changesKey(m, tg.table(), tg.keyCols())) {
                if (tryOne(tx, new RowChange(m.table(), ChangeOp.INSERT, null, m.after()), tg) == 1) {
                    c.collisionPkUpdatesInserted++;
                    return true;
                }
                return false;
            }
            c.collisionUpdatesIgnored++;
            return true;
        }
        return false;
    }

    /** The key (KEYCOLS, else primary key) with the after image's values, or null when it lacks one. */
    private static RowImage newKey(RowChange m, TargetResolver.Target tg) {
        List<String> key = !tg.keyCols().isEmpty() ? tg.keyCols() : tg.table().primaryKey();
        if (key.isEmpty()) return null;
        String[] kc = key.toArray(String[]::new);
        Object[] kv = new Object[kc.length];
        for (int i = 0; i < kc.length; i++) {
            int idx = m.after().indexOf(kc[i]);
            if (idx < 0) return null;
            kv[i] = m.after().value(idx);
        }
        return new RowImage(kc, kv);
    }

    /** Runs one statement under a savepoint; -1 (rolled back) on a database error. */
    private int tryOne(Transaction tx, RowChange ch, TargetResolver.Target tg) throws SQLException {
        Savepoint sp = site.conn().setSavepoint();
        try {
            return site.applier().executeOne(tx, ch, tg.table(), tg.keyCols(), tg.derived());
        } catch (SQLException | ApplyError e) {
            site.conn().rollback(sp);
            return -1;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(cfg.getRetryDelayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicatException(cfg.getGroup() + ": interrupted while waiting to retry");
        }
    }
}
