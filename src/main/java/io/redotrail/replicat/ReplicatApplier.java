package io.redotrail.replicat;

import io.redotrail.core.Jdbc;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Abends;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.trail.ReadPositionStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Replicat: applies whole committed source transactions ({@code List<Transaction>} bodies from the trail
 * consumer, in commit-SCN order) to the target database, and records its position in the checkpoint table
 * ({@link CheckpointTable}) in the same database transaction — one commit per exchange, a source transaction
 * is never split. The checkpoint table is authoritative; {@code dirchk/<GROUP>.cpr} is written after each
 * commit for INFO REPLICAT and as a fallback start position.
 * <p>
 * Restart: transactions already recorded in the checkpoint table (CSN below LOG_CMPLT_CSN, or equal and
 * listed in LOG_CMPLT_XIDS) are skipped and counted, so a trail re-read never applies anything twice.
 * <p>
 * Errors (REPERROR ABEND): the exchange is rolled back, the error is reported to {@link Abends} and thrown,
 * and every later exchange is refused until the applier is stopped and started again — applying a later
 * exchange after a failed one would lose the failed one's changes.
 * <p>
 * Bean for YAML ({@code type: io.redotrail.replicat.ReplicatApplier}, properties group, home, jdbcUrl, user,
 * password, checkpointTable, trail, batchSize, fileCheckpointMillis). Connects lazily on first use, or in {@link #start()}.
 * Owns exactly one JDBC connection (autoCommit off). Thread-safe by serialisation: all public methods are
 * synchronized; a Replicat is one serial apply stream.
 */
public class ReplicatApplier implements Processor, Service, ReadPositionStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private String group;
    private String home = ".";
    private String jdbcUrl;
    private String user;
    private String password;
    private String checkpointTable = CheckpointTable.DEFAULT_NAME;
    private String trail = "";
    private int batchSize = 1000;
    private long fileCheckpointMillis = 1000;
    private long lastFileWrite;

    private Connection conn;
    private CheckpointTable table;
    private ChangeApplier applier;
    private CheckpointTable.Row lastCheckpoint;
    private TrailPosition startup;
    private long startupTimestamp;
    private long startTime;
    private ReplicatException abended;
    private long skippedTransactions;
    private long appliedTransactions;
    private long appliedOperations;

    public ReplicatApplier() {
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    @Override
    public synchronized void start() {
        abended = null;
        ensureOpen();
    }

    /** Writes the .cpr with stop status G (graceful) and closes the connection. */
    @Override
    public synchronized void stop() {
        if (conn != null && lastCheckpoint != null && abended == null) writeFileCheckpoint('G');
        lastFileWrite = 0;
        closeConnection();
    }

    private void ensureOpen() {
        if (conn != null) return;
        if (group == null || group.isBlank()) throw new IllegalStateException("ReplicatApplier: property 'group' is required");
        if (jdbcUrl == null || jdbcUrl.isBlank()) throw new IllegalStateException(group + ": property 'jdbcUrl' is required");
        try {
            conn = Jdbc.connect(jdbcUrl, user, password);
            conn.setAutoCommit(false);
            table = new CheckpointTable(checkpointTable, homePath().toAbsolutePath().normalize().toString());
            table.create(conn); // ADD CHECKPOINTTABLE when absent
            lastCheckpoint = table.read(conn, group).orElse(null);
            conn.commit();
            applier = new ChangeApplier(group, conn, new TargetTables(), batchSize);
        } catch (SQLException e) {
            closeConnection();
            throw new ReplicatException(group + ": cannot open target database " + jdbcUrl.replaceAll("[?;].*", "") + ": " + e.getMessage(), e);
        }
        Optional<TrailPosition> file = filePosition();
        if (lastCheckpoint != null && file.isPresent() && file.get().compareTo(lastCheckpoint.position()) > 0) {
            // GoldenGate OGG-30176: the table is older than the file (target restored?); the table wins
            LOG.warn("{}: checkpoint table {} ({}) is behind checkpoint file {} ({}); using the table",
                    group, table.name(), lastCheckpoint.position(), fileCheckpoint().path(), file.get());
        }
        startup = lastCheckpoint != null ? lastCheckpoint.position() : file.orElse(null);
        startTime = System.currentTimeMillis();
        startupTimestamp = 0;
        LOG.info("{}: connected to {}, checkpoint table {}, start position {}", group, jdbcUrl.replaceAll("[?;].*", ""), table.name(),
                startup == null ? "none" : startup);
    }

    private void closeConnection() {
        if (applier != null) applier.close();
        applier = null;
        if (conn != null) {
            try {
                conn.rollback();
                conn.close();
            } catch (SQLException e) {
                LOG.warn("{}: closing connection: {}", group, e.getMessage());
            }
        }
        conn = null;
    }

    // ---- ReadPositionStore -----------------------------------------------------------------------------

    /** Checkpoint table position (connects if needed), else the .cpr file's current position, else empty. */
    @Override
    public synchronized Optional<TrailPosition> startPosition() {
        ensureOpen();
        if (lastCheckpoint != null) return Optional.of(lastCheckpoint.position());
        return filePosition();
    }

    // ---- apply -----------------------------------------------------------------------------------------

    @Override
    public synchronized void process(Exchange exchange) {
        if (abended != null) {
            throw new ReplicatException(group + " is abended and refuses further work until restarted; cause: "
                    + abended.getMessage(), abended);
        }
        Object body = exchange.getIn().getBody();
        if (body == null || (body instanceof List<?> l && l.isEmpty())) return; // e.g. a READ_CHECKPOINT-only exchange
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException(group + ": expected a List<Transaction> body, got " + body.getClass().getName());
        }
        ensureOpen();
        List<Transaction> todo = new ArrayList<>(list.size());
        for (Object o : list) {
            Transaction tx = (Transaction) o;
            if (lastCheckpoint != null && lastCheckpoint.applied(tx.csn(), tx.xid())) {
                skippedTransactions++;
                LOG.debug("{}: skipping already applied transaction XID {} CSN {}", group, tx.xid(), tx.csn());
            } else {
                todo.add(tx);
            }
        }
        if (todo.isEmpty()) return;
        Transaction last = todo.get(todo.size() - 1);
        if (last.trailEnd() == null) {
            throw new IllegalArgumentException(group + ": transaction XID " + last.xid() + " has no trail end position");
        }
        Set<String> xids = completedAt(last, todo);
        long ops = 0;
        try {
            for (Transaction tx : todo) {
                for (RowChange ch : tx.changes()) applier.apply(tx, ch);
                ops += tx.size();
            }
            applier.flush();
            List<Xid> xidList = new ArrayList<>(xids.size());
            for (String x : xids) xidList.add(Xid.parse(x));
            table.update(conn, group, last.trailEnd(), last.csn(), last.commitTimestampMillis(), xidList);
            conn.commit();
        } catch (RuntimeException | SQLException e) {
            rollbackQuietly();
            applier.reset();
            ReplicatException re = e instanceof ReplicatException r ? r
                    : new ReplicatException(group + ": applying " + todo.size() + " transaction(s) up to CSN "
                    + last.csn() + " failed: " + e.getMessage() + ChangeApplier.where(todo.get(0)), e);
            abended = re;
            LOG.error("{}: PROCESS ABENDING: {}", group, re.getMessage());
            Abends.report(group, re);
            throw re;
        }
        lastCheckpoint = new CheckpointTable.Row(group.toUpperCase(Locale.ROOT), CheckpointTable.groupKey(group),
                last.trailEnd(), last.csn(), last.csn(), xids, null);
        appliedTransactions += todo.size();
        appliedOperations += ops;
        if (startup == null) {
            startup = todo.get(0).trailStart() != null ? todo.get(0).trailStart() : last.trailEnd();
            startupTimestamp = todo.get(0).commitTimestampMillis();
        }
        // the file is secondary (the table is authoritative): throttled like CHECKPOINTSECS, its fsyncs cost
        if (now() - lastFileWrite >= fileCheckpointMillis) writeFileCheckpoint('A');
    }

    /** XIDs completed at the last CSN: this exchange's, plus earlier ones at the same CSN. */
    private Set<String> completedAt(Transaction last, List<Transaction> todo) {
        Set<String> xids = new LinkedHashSet<>();
        if (lastCheckpoint != null && lastCheckpoint.logCsn().equals(last.csn())) xids.addAll(lastCheckpoint.completedXids());
        for (Transaction tx : todo) {
            if (tx.csn().equals(last.csn())) xids.add(tx.xid().toString());
        }
        return xids;
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.warn("{}: rollback failed: {}", group, e.getMessage());
        }
    }

    // ---- checkpoint file (secondary) -------------------------------------------------------------------

    private CheckpointFile fileCheckpoint() {
        return new CheckpointFile(CheckpointFile.replicatFile(homePath(), group));
    }

    private Optional<TrailPosition> filePosition() {
        return fileCheckpoint().read().map(ProcessCheckpoint::trailRead).map(TrailReadCheckpoint::current);
    }

    private void writeFileCheckpoint(char status) {
        try {
            long now = now();
            lastFileWrite = now;
            TrailReadCheckpoint read = new TrailReadCheckpoint(trail == null ? "" : trail,
                    startup == null ? lastCheckpoint.position() : startup, startupTimestamp,
                    lastCheckpoint.position(), now);
            fileCheckpoint().write(new ProcessCheckpoint(group.toUpperCase(Locale.ROOT), "REPLICAT", List.of(), read,
                    List.of(), null, null, null, startTime, now, status));
        } catch (RuntimeException e) {
            // the table already holds the committed position; a stale file only means a longer re-read
            LOG.warn("{}: cannot write checkpoint file: {}", group, e.toString());
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private Path homePath() {
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    // ---- statistics ------------------------------------------------------------------------------------

    public synchronized long getSkippedTransactions() {
        return skippedTransactions;
    }

    public synchronized long getAppliedTransactions() {
        return appliedTransactions;
    }

    public synchronized long getAppliedOperations() {
        return appliedOperations;
    }

    /** Last committed checkpoint (as read at startup or written since), or empty. */
    public synchronized Optional<CheckpointTable.Row> lastCheckpoint() {
        return Optional.ofNullable(lastCheckpoint);
    }

    // ---- bean properties -------------------------------------------------------------------------------

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group == null ? null : group.trim().toUpperCase(Locale.ROOT);
    }

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    public void setJdbcUrl(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getCheckpointTable() {
        return checkpointTable;
    }

    public void setCheckpointTable(String checkpointTable) {
        this.checkpointTable = checkpointTable;
    }

    public String getTrail() {
        return trail;
    }

    /** Trail name shown in the .cpr read checkpoint, e.g. {@code ./dirdat/rt}. */
    public void setTrail(String trail) {
        this.trail = trail;
    }

    public long getFileCheckpointMillis() {
        return fileCheckpointMillis;
    }

    /**
     * Least time between two writes of {@code dirchk/<GROUP>.cpr} (default 1000 ms, 0 = after every commit;
     * always written at stop). The table row is written at every commit regardless.
     */
    public void setFileCheckpointMillis(long fileCheckpointMillis) {
        this.fileCheckpointMillis = fileCheckpointMillis;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Most operations per JDBC batch (BATCHTRANSOPS), default 1000. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
