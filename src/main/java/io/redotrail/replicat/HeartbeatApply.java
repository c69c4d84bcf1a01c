package io.redotrail.replicat;

import io.redotrail.checkpoint.HeartbeatSettings;
import io.redotrail.core.Heartbeat;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Replicat's side of the heartbeat: heartbeat changes are taken out of the transactions before MAP (they never
 * reach a user table), stamped with the Replicat's name and read time, and written to GG_HEARTBEAT and
 * GG_HEARTBEAT_HISTORY in the group's own target transaction, just before its checkpoint row ({@link #write}): so
 * a kill -9 loses them with the row and the restart applies them again, once. Also purges the history every
 * PURGE_FREQUENCY days (dirprm/heartbeat.properties). Without the target tables (no ADD HEARTBEATTABLE there) the
 * heartbeats are dropped with one RTR-01301 warning in the report; so is a failed heartbeat write, rolled back to a
 * savepoint so that the group's user data still commits.
 * <p>
 * The serial Replicat takes them into its open group and writes them with the group's checkpoint row (on the route
 * thread or its committer's); the parallel Replicat's trail thread takes them into each transaction's unit and its
 * appliers write them with the unit ({@link #take}, {@link #write}: thread-safe, the tables' state and the purge
 * schedule are shared under this object's lock, the rows are written outside it).
 */
final class HeartbeatApply {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);
    private static final long RECHECK_MILLIS = 60_000;
    private static final long DAY_MILLIS = 86_400_000L;

    private final ReplicatApplier cfg;
    /** Whether the target has the tables, and when that was last asked (0: not yet in this start). */
    private boolean tables;
    private long checkedAt;
    private boolean warned;
    private long lastPurge;
    private String localDatabase;

    HeartbeatApply(ReplicatApplier cfg) {
        this.cfg = cfg;
    }

    /** {@code tx} without its heartbeat changes, each added to {@code into} as received at {@code nowMillis}. */
    Transaction take(Transaction tx, long nowMillis, List<HeartbeatTables.Received> into) {
        if (!Heartbeat.holdsHeartbeat(tx)) return tx;
        List<RowChange> rest = new ArrayList<>(tx.size());
        for (RowChange c : tx.changes()) {
            if (!Heartbeat.isHeartbeat(c)) {
                rest.add(c);
            } else if (c.after() != null) {
                into.add(received(c.after(), nowMillis));
            }
        }
        return tx.withChanges(rest);
    }

    private HeartbeatTables.Received received(RowImage a, long nowMillis) {
        Object thread = a.get(Heartbeat.REDO_THREAD);
        return new HeartbeatTables.Received(null, String.valueOf(a.get(Heartbeat.LOCAL_DATABASE)),
                thread instanceof Number n ? n.intValue() : 0, (LocalDateTime) a.get(Heartbeat.HEARTBEAT_TIMESTAMP),
                text(a.get(Heartbeat.INCOMING_EXTRACT)), (LocalDateTime) a.get(Heartbeat.INCOMING_EXTRACT_TS),
                text(a.get(Heartbeat.INCOMING_ROUTING_PATH)), (LocalDateTime) a.get(Heartbeat.INCOMING_ROUTING_TS),
                cfg.getGroup().toUpperCase(Locale.ROOT), Heartbeat.utc(nowMillis));
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    /**
     * Writes {@code received} on {@code c}'s open target transaction (not committed here), then purges if due; a
     * failure rolls back to a savepoint and is warned about (the caller's user data still commits).
     */
    void write(Connection c, List<HeartbeatTables.Received> received) throws SQLException {
        if (received.isEmpty()) return;
        long now = System.currentTimeMillis();
        String local = recordsOn(c, now);
        if (local == null) return;
        List<HeartbeatTables.Received> rows = new ArrayList<>(received.size());
        for (HeartbeatTables.Received r : received) {
            rows.add(new HeartbeatTables.Received(local, r.remoteDatabase(), r.thread(), r.heartbeat(), r.extract(),
                    r.extractTs(), r.routingPath(), r.routingTs(), r.replicat(), r.replicatTs()));
        }
        // a savepoint: a heartbeat problem (tables dropped while the Replicat runs) must not fail the user data's group
        java.sql.Savepoint sp = c.setSavepoint();
        try {
            HeartbeatTables.write(c, rows, Heartbeat.utc(now));
            purgeIfDue(c, now);
        } catch (SQLException e) {
            c.rollback(sp);
            failed(now, e);
            return;
        }
        c.releaseSavepoint(sp);
    }

    /** The target's database name when it has the tables (asked at most once a minute while it has not), else null. */
    private synchronized String recordsOn(Connection c, long now) throws SQLException {
        if (!tables && (checkedAt == 0 || now - checkedAt >= RECHECK_MILLIS)) {
            checkedAt = now;
            tables = HeartbeatTables.exists(c, Heartbeat.TABLE) && HeartbeatTables.exists(c, Heartbeat.HISTORY);
            if (tables && localDatabase == null) localDatabase = databaseName(c);
        }
        if (!tables && !warned) {
            warned = true;
            warn("heartbeat records arrive but the target has no " + Heartbeat.TABLE + " / " + Heartbeat.HISTORY
                    + " (run GGSCI ADD HEARTBEATTABLE against the target); they are not recorded");
        }
        return tables ? localDatabase : null;
    }

    private synchronized void failed(long now, SQLException e) {
        tables = false;
        warned = false;
        checkedAt = now;
        warn("heartbeat records not recorded: " + e.getMessage().lines().findFirst().orElse("") + " (checked again in a minute)");
    }

    private void warn(String text) {
        LOG.warn("{}: {}", cfg.getGroup(), text);
        GroupRuntime rt = cfg.runtimeIfBound();
        if (rt != null) rt.report().warning("RTR-01301", cfg.getGroup() + ": " + text);
    }

    private void purgeIfDue(Connection c, long now) throws SQLException {
        Optional<HeartbeatSettings> s = HeartbeatSettings.read(cfg.homePath());
        HeartbeatSettings hs = s.orElse(HeartbeatSettings.DEFAULTS);
        synchronized (this) {
            if (lastPurge != 0 && now - lastPurge < hs.purgeFrequencyDays() * DAY_MILLIS) return;
            lastPurge = now;
        }
        int n = HeartbeatTables.purge(c, Heartbeat.utc(now - hs.retentionDays() * DAY_MILLIS));
        if (n > 0) LOG.info("{}: purged {} row(s) older than {} days from {}", cfg.getGroup(), n, hs.retentionDays(), Heartbeat.HISTORY);
    }

    private static String databaseName(Connection c) {
        try {
            String cat = c.getCatalog();
            if (cat != null && !cat.isBlank()) return cat.toUpperCase(Locale.ROOT);
        } catch (SQLException e) {
            LOG.debug("no catalog name: {}", e.toString());
        }
        return "TARGET";
    }
}
