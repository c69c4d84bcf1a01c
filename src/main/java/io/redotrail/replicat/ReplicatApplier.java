package io.redotrail.replicat;

import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.ReadPositionStore;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Replicat: applies whole committed source transactions ({@code List<Transaction>} bodies from the trail
 * consumer, in commit-SCN order) to the target database, and records its position in the checkpoint table
 * ({@link CheckpointTable}) in the same database transaction; a source transaction is never split. A
 * GROUPTRANSOPS group may span exchanges while header {@link TrailConstants#TRAIL_CAUGHT_UP} says more is waiting; it
 * commits once big enough, once the trail has caught up, on an empty exchange, or at {@link #stop()}. The
 * checkpoint table is authoritative; {@code dirchk/<GROUP>.cpr} is written after commits for INFO REPLICAT and
 * as a fallback start position.
 * <p>
 * Restart: transactions already recorded in the checkpoint table (CSN below LOG_CMPLT_CSN, or equal and
 * listed in LOG_CMPLT_XIDS) are skipped and counted, so a trail re-read never applies anything twice.
 * <p>
 * Errors (REPERROR ABEND): the exchange is rolled back, the error is recorded as the group's abend in its {@link GroupRuntime} (in this bean's CamelContext) and thrown,
 * and every later exchange is refused until the applier is stopped and started again — applying a later
 * exchange after a failed one would lose the failed one's changes.
 * <p>
 * Mapping ({@code map}, GoldenGate MAP statements, see {@link io.redotrail.replicat.mapping.MapParser}) is
 * validated against the target's metadata when the applier starts. GROUPTRANSOPS ({@code groupTransOps}):
 * whole source transactions are grouped into target transactions of at least that many operations. BATCHSQL
 * ({@code batchSql}): a group's changes of the same table, operation and column set share JDBC batches, run in
 * dependency order ({@link BatchSet}). Any error in a
 * group rolls it back and replays it one operation at a time under savepoints, where REPERROR ({@code repError})
 * and HANDLECOLLISIONS ({@code handleCollisions}) decide; discarded operations go to {@code dirrpt/<GROUP>.dsc}.
 * <p>
 * Bean for YAML ({@code type: io.redotrail.replicat.ReplicatApplier}, properties group, home, jdbcUrl, user,
 * password, checkpointTable, trail, batchSize, fileCheckpointMillis, map, repError, handleCollisions,
 * groupTransOps, batchSql, onOlderTable, discardFile, discardFileOptions, retryDelayMillis). Connects lazily on first use, or in {@link #start()}.
 * Owns exactly one JDBC connection (autoCommit off). Thread-safe by serialisation: all public methods are
 * synchronized; a Replicat is one serial apply stream.
 * <p>
 * This class holds the bean properties, the lifecycle and the statistics getters; the work is done by
 * {@link TargetSession} (start-up, the connection, OGG-30176), {@link ReplicatCheckpoints} (checkpoint row,
 * start position, {@code .cpr} file), {@link GroupApplier} (the apply loop), {@link OperationReplayer} (replay
 * under REPERROR / HANDLECOLLISIONS), {@link TargetResolver} (mapping to target tables) and
 * {@link ReplicatStats} (counters), all used only under this object's lock.
 */
public class ReplicatApplier implements Processor, Service, ReadPositionStore, CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private CamelContext camelContext;
    private String group;
    private String home = ".";
    private boolean locked;
    private String jdbcUrl;
    private String user;
    private String password;
    private String checkpointTable = CheckpointTable.DEFAULT_NAME;
    private String trail = "";
    private String trailPath;
    private int batchSize = 1000;
    private long fileCheckpointMillis = 1000;
    private String map = "";
    private String repErrorSpec = "DEFAULT ABEND";
    private boolean handleCollisions;
    private int groupTransOps = 1000;
    private boolean batchSql = true;
    private OnOlderTable onOlderTable = OnOlderTable.WARN_USE_TABLE;
    private String discardFile;
    private String discardFileOptions = "APPEND, MEGABYTES 50";
    private long retryDelayMillis = 100;

    /** What to do when the checkpoint table is behind the checkpoint file (OGG-30176, target restored from a backup). */
    public enum OnOlderTable {
        /** warn, and start from the table position: transactions after it are applied again (default) */
        WARN_USE_TABLE,
        /** refuse to start */
        ABEND,
        /** warn, and start from the file position: what lies between the two positions is not applied again */
        USE_FILE
    }

    /** Operations handled by REPERROR and HANDLECOLLISIONS (reported at stop, and by {@link #getCounters()}). */
    public static final class Counters {
        public long discarded, ignored, retriedOps, transAborts, replays, transDiscarded;
        public long collisionInsertsOverwritten, collisionUpdatesIgnored, collisionDeletesIgnored, collisionPkUpdatesInserted,
                collisionPkUpdatesOverwritten;

        void add(Counters c) {
            discarded += c.discarded;
            ignored += c.ignored;
            transDiscarded += c.transDiscarded;
            collisionInsertsOverwritten += c.collisionInsertsOverwritten;
            collisionUpdatesIgnored += c.collisionUpdatesIgnored;
            collisionDeletesIgnored += c.collisionDeletesIgnored;
            collisionPkUpdatesInserted += c.collisionPkUpdatesInserted;
            collisionPkUpdatesOverwritten += c.collisionPkUpdatesOverwritten;
        }

        public long collisions() {
            return collisionInsertsOverwritten + collisionUpdatesIgnored + collisionDeletesIgnored + collisionPkUpdatesInserted
                    + collisionPkUpdatesOverwritten;
        }

        @Override
        public String toString() {
            return "discarded " + discarded + " (whole transactions " + transDiscarded + "), ignored " + ignored + ", retried operations " + retriedOps
                    + ", transaction aborts " + transAborts + ", groups replayed one operation at a time " + replays
                    + "; HANDLECOLLISIONS: duplicate inserts overwritten " + collisionInsertsOverwritten
                    + ", missing-row updates ignored " + collisionUpdatesIgnored + ", missing-row deletes ignored "
                    + collisionDeletesIgnored + ", missing-row PK updates inserted " + collisionPkUpdatesInserted
                    + ", PK updates onto an existing key overwritten " + collisionPkUpdatesOverwritten;
        }
    }

    private final ReplicatCheckpoints checkpoints = new ReplicatCheckpoints(this);
    private final ReplicatStats stats = new ReplicatStats();
    private final TargetSession session = new TargetSession(this, checkpoints);
    private final GroupApplier groups = new GroupApplier(this, session, checkpoints, stats);

    public ReplicatApplier() {
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Connects under the group's lock; a failure to start (target, checkpoint table, MAP) is the group's abend. */
    @Override
    public synchronized void start() {
        groups.clearAbend();
        if (locked || group == null || group.isBlank()) {
            session.open();
        } else {
            runtime().startLocked("REPLICAT", session::open);
            locked = true;
        }
    }

    /** Writes the .cpr with stop status G (graceful) and closes the connection. */
    @Override
    public synchronized void stop() {
        if (session.isOpen()) groups.finish(); // a graceful stop commits the open group
        if (session.isOpen() && checkpoints.last() != null && groups.abended() == null) checkpoints.writeFile('G');
        if (session.isOpen()) LOG.info("{}: stopping; applied {} transactions / {} operations, skipped {}; {}", group,
                stats.appliedTransactions, stats.appliedOperations, stats.skippedTransactions, stats.counters);
        checkpoints.resetFileThrottle();
        session.close();
        if (locked) {
            locked = false;
            GroupLock.release(homePath(), group);
        }
    }

    // ---- ReadPositionStore -----------------------------------------------------------------------------

    /** Checkpoint table position (connects if needed), else the .cpr file's current position, else empty. */
    @Override
    public synchronized Optional<TrailPosition> startPosition() {
        session.open();
        return checkpoints.startPosition();
    }

    // ---- apply -----------------------------------------------------------------------------------------

    @Override
    public synchronized void process(Exchange exchange) {
        if (camelContext == null) camelContext = exchange.getContext();
        groups.refuseIfAbended();
        Object body = exchange.getIn().getBody();
        // more waiting in the trail: the GROUPTRANSOPS group may stay open for the next exchange
        boolean caughtUp = !Boolean.FALSE.equals(exchange.getIn().getHeader(TrailConstants.TRAIL_CAUGHT_UP));
        if (body == null || (body instanceof List<?> l && l.isEmpty())) {
            // an idle exchange: commit what is open
            if (session.isOpen()) groups.apply(List.of(), true);
            return;
        }
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException(group + ": expected a List<Transaction> body, got " + body.getClass().getName());
        }
        session.open();
        groups.apply(list, caughtUp);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    // kept once found: the context's registry is emptied while the context stops
    private volatile GroupRuntime runtime;

    /** The group's runtime state in this bean's CamelContext (abend, report file, process status). */
    GroupRuntime runtime() {
        if (runtime == null) runtime = GroupRuntimes.of(camelContext, homePath(), group);
        return runtime;
    }

    /** The redotrail home ({@code home}, blank = current directory). */
    Path homePath() {
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    String password() {
        return password;
    }

    // ---- statistics ------------------------------------------------------------------------------------

    public synchronized long getSkippedTransactions() {
        return stats.skippedTransactions;
    }

    public synchronized long getAppliedTransactions() {
        return stats.appliedTransactions;
    }

    public synchronized long getAppliedOperations() {
        return stats.appliedOperations;
    }

    /** BATCHSQL: JDBC batches executed since this bean was made. */
    public synchronized long getBatchCount() {
        return groups.batchCounts()[0];
    }

    /** BATCHSQL: statements carried by those batches (divided by {@link #getBatchCount()}: the mean batch size). */
    public synchronized long getBatchedStatements() {
        return groups.batchCounts()[1];
    }

    /** Source transactions applied but not yet committed (a GROUPTRANSOPS group waiting for more of the trail). */
    public synchronized int getOpenTransactions() {
        return groups.openTransactions();
    }

    /** Last committed checkpoint (as read at startup or written since), or empty. */
    public synchronized Optional<CheckpointTable.Row> lastCheckpoint() {
        return Optional.ofNullable(checkpoints.last());
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

    public String getTrailPath() {
        return trailPath;
    }

    /** The trail read ({@code <home>/dirdat/<prefix>}); where to start when the checkpoint table has no row. */
    public void setTrailPath(String trailPath) {
        this.trailPath = trailPath;
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

    public String getMap() {
        return map;
    }

    /** GoldenGate MAP statements separated by ';' (see {@link io.redotrail.replicat.mapping.MapParser}); blank = identity. */
    public void setMap(String map) {
        this.map = map == null ? "" : map;
    }

    public String getRepError() {
        return repErrorSpec;
    }

    /** REPERROR rules, e.g. {@code DEFAULT ABEND; NOTFOUND DISCARD; DUPLICATE IGNORE} (see {@link RepError}). */
    public void setRepError(String repError) {
        this.repErrorSpec = repError == null || repError.isBlank() ? "DEFAULT ABEND" : repError;
    }

    public boolean isHandleCollisions() {
        return handleCollisions;
    }

    /** HANDLECOLLISIONS (default false): duplicate insert → overwrite; missing row on update/delete → ignore; PK update of a missing row → insert. */
    public void setHandleCollisions(boolean handleCollisions) {
        this.handleCollisions = handleCollisions;
    }

    public int getGroupTransOps() {
        return groupTransOps;
    }

    /** GROUPTRANSOPS (default 1000): least operations per target transaction; source transactions are never split. */
    public void setGroupTransOps(int groupTransOps) {
        this.groupTransOps = groupTransOps;
    }

    public boolean isBatchSql() {
        return batchSql;
    }

    /** BATCHSQL (default true): JDBC batches of the same table, operation and column set. */
    public void setBatchSql(boolean batchSql) {
        this.batchSql = batchSql;
    }

    public OnOlderTable getOnOlderTable() {
        return onOlderTable;
    }

    /** WARN_USE_TABLE (default), ABEND or USE_FILE: see {@link OnOlderTable}. */
    public void setOnOlderTable(String onOlderTable) {
        try {
            this.onOlderTable = OnOlderTable.valueOf(onOlderTable.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("onOlderTable must be WARN_USE_TABLE, ABEND or USE_FILE, got '" + onOlderTable + "'");
        }
    }

    public String getDiscardFile() {
        return discardFile;
    }

    /** Discard file path (default {@code <home>/dirrpt/<GROUP>.dsc}). */
    public void setDiscardFile(String discardFile) {
        this.discardFile = discardFile;
    }

    public String getDiscardFileOptions() {
        return discardFileOptions;
    }

    /** DISCARDFILE options: {@code APPEND | PURGE} (default APPEND; PURGE empties it at start), {@code MEGABYTES n | MAXBYTES n} (default 50 MB). */
    public void setDiscardFileOptions(String discardFileOptions) {
        io.redotrail.replicat.error.DiscardFile.Options.parse(discardFileOptions); // fail at configuration time
        this.discardFileOptions = discardFileOptions == null ? "" : discardFileOptions;
    }

    public long getRetryDelayMillis() {
        return retryDelayMillis;
    }

    /** Wait before a RETRYOP or TRANSABORT retry (default 100 ms). */
    public void setRetryDelayMillis(long retryDelayMillis) {
        this.retryDelayMillis = retryDelayMillis;
    }

    /** The OGG-30176 warning of the last start, or null. */
    public synchronized String getStartupWarning() {
        return checkpoints.startupWarning();
    }

    /** REPERROR / HANDLECOLLISIONS counters since start (a snapshot is not taken: read while idle). */
    public synchronized Counters getCounters() {
        return stats.counters;
    }
}
