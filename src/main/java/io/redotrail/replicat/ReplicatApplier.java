package io.redotrail.replicat;

import io.redotrail.camel.StageFailure;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.ThreadCpu;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.ReadPositionStore;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import io.redotrail.report.GroupLock;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Replicat: applies whole committed source transactions ({@code List<Transaction>} bodies from the trail
 * consumer, in commit-SCN order) to the target database, and records its position in the checkpoint table
 * ({@link CheckpointTable}) in the same database transaction; a source transaction is never split (the parallel
 * Replicat's SPLIT_TRANS_RECS aside, {@link ParallelReplicat}). A
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
 * groupTransOps, batchSql, stageAhead, onOlderTable, discardFile, discardFileOptions, retryDelayMillis). Connects lazily on first use, or in {@link #start()}.
 * Owns exactly one JDBC connection (autoCommit off). Thread-safe by serialisation: the public methods are
 * synchronized (but {@link #lastCheckpoint()} and {@link #applyView()}, published for readers); a Replicat is one
 * serial apply stream.
 * <p>
 * This class holds the lifecycle and the statistics getters, the bean properties are in {@link ReplicatSettings};
 * the work is done by
 * {@link TargetSession} (start-up, the connection, OGG-30176), {@link ReplicatCheckpoints} (checkpoint row,
 * start position, {@code .cpr} file), {@link GroupApplier} (the apply loop), {@link OperationReplayer} (replay
 * under REPERROR / HANDLECOLLISIONS), {@link TargetResolver} (mapping to target tables) and
 * {@link ReplicatStats} (counters), all used only under this object's lock.
 */
public class ReplicatApplier extends ReplicatSettings implements Processor, Service, ReadPositionStore, CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private CamelContext camelContext;
    private boolean locked;

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
    /** Warnings said once per Replicat (not per target session or applier), by key. */
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ReplicatStats stats = new ReplicatStats();
    private final TargetSession session = new TargetSession(this, checkpoints);
    private final GroupApplier groups = new GroupApplier(this, session, checkpoints, stats);
    /** PARALLEL: the appliers, started after the session (the coordinator's connection) opened. */
    private final ParallelReplicat parallel = new ParallelReplicat(this, session, checkpoints, stats);

    public ReplicatApplier() {
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Connects under the group's lock; a failure to start (target, checkpoint table, MAP) is the group's abend. */
    @Override
    public synchronized void start() {
        groups.clearAbend();
        StartCsn startCsn = StartCsn.of(getGroup(), getAtCsn(), getAfterCsn());
        if (locked || getGroup() == null || getGroup().isBlank()) {
            session.open();
        } else {
            runtime().startLocked("REPLICAT", session::open);
            locked = true;
        }
        GroupRuntime rt = runtimeIfBound();
        if (rt != null) rt.reportCount(getReportCount());
        groups.startCsn(startCsn);
        if (isParallel()) startParallel();
    }

    private void startParallel() {
        if (io.redotrail.core.Jdbc.embeddedH2(getJdbcUrl()) && runtimeIfBound() != null) {
            // WRITE_DELAY=0 keeps a serial Replicat's group whole across kill -9; several writing connections do not
            runtime().report().warning("RTR-01627", getGroup() + ": a parallel Replicat on an embedded H2 target (" + getJdbcUrl()
                    + "): kill -9 of this process can leave part of a group no applier committed in the target (README.md,"
                    + " \"Target databases\"); for a target that must survive it, use PostgreSQL or H2 as a server");
        }
        try {
            parallel.start(camelContext);
        } catch (RuntimeException e) {
            session.close();
            if (runtimeIfBound() != null) runtime().recordAbend(e);
            throw e;
        }
    }

    /** Writes the .cpr with stop status G (graceful) and closes the connection. */
    @Override
    public synchronized void stop() {
        parallel.stop(); // the appliers commit what they hold; the low watermark is written
        if (session.isOpen()) groups.finish(); // a graceful stop commits the open group
        groups.close();
        groups.reportStartCsnAtStop();
        if (session.isOpen() && checkpoints.last() != null && groups.abended() == null) checkpoints.writeFile('G');
        if (session.isOpen()) LOG.info("{}: stopping; applied {} transactions / {} operations, skipped {}; {}; route thread CPU {} s, committer {} s ({} groups, {} by the route thread; committer busy {} s, route thread waited {} s for it)",
                getGroup(), stats.appliedTransactions, stats.appliedOperations, stats.skippedTransactions, stats.counters,
                seconds(stats.routeCpuNanos), seconds(stats.committerCpuNanos), stats.groupsAhead, stats.groupsInline,
                seconds(stats.committerBusyNanos), seconds(stats.routeWaitNanos));
        checkpoints.resetFileThrottle();
        session.close();
        if (locked) {
            locked = false;
            GroupLock.release(homePath(), getGroup());
        }
    }

    /** Nanoseconds as seconds with two decimals, for the stop line. */
    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    // ---- ReadPositionStore -----------------------------------------------------------------------------

    /** Checkpoint table position (connects if needed), else the .cpr file's current position, else empty. */
    @Override
    public synchronized Optional<TrailPosition> startPosition() {
        session.open();
        return checkpoints.startPosition();
    }

    // ---- apply -----------------------------------------------------------------------------------------

    /** True the first time {@code key} is given this Replicat: the caller warns then, and not again. */
    boolean firstWarning(String key) {
        return warned.add(key);
    }

    /** The applier takes every batch of its trail consumer (RTR-01628 when a route step drops one). */
    @Override
    public boolean takesEachBatch() {
        return true;
    }

    @Override
    public synchronized void process(Exchange exchange) {
        StageFailure.run(exchange, true, this::processBatch);
    }

    private void processBatch(Exchange exchange) {
        long cpu = ThreadCpu.now();
        try {
            apply(exchange);
        } finally {
            stats.routeCpuNanos += ThreadCpu.now() - cpu;
            view = ApplyView.of(stats, groups.batchCounts(), getOpenTransactions(), isParallel() ? parallel.appliers() : 1);
        }
    }

    private void apply(Exchange exchange) {
        if (camelContext == null) camelContext = exchange.getContext();
        groups.refuseIfAbended();
        if (isParallel()) parallel.refuseIfAbended();
        Object body = exchange.getIn().getBody();
        // more waiting in the trail: the GROUPTRANSOPS group may stay open for the next exchange
        boolean caughtUp = !Boolean.FALSE.equals(exchange.getIn().getHeader(TrailConstants.TRAIL_CAUGHT_UP));
        GroupRuntime rt = runtimeIfBound();
        if (body == null || (body instanceof List<?> l && l.isEmpty())) {
            // an idle exchange: commit what is open; at EOF, and the .cpr says so (lag 0) while the group idles
            if (parallel.running()) parallel.process(List.of(), caughtUp);
            else if (session.isOpen()) groups.apply(List.of(), true);
            if (rt != null) {
                rt.stats().atEof(caughtUp);
                rt.batchDone(new io.redotrail.report.GroupStats.Tally(), null); // a time-based REPORTCOUNT is not late
                if (session.isOpen() && checkpoints.last() != null && groups.abended() == null) checkpoints.idle();
            }
            return;
        }
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException(getGroup() + ": expected a List<Transaction> body, got " + body.getClass().getName());
        }
        session.open();
        if (isParallel() && !parallel.running()) startParallel();
        if (rt != null) rt.stats().atEof(false);
        if (isParallel()) parallel.process(list, caughtUp);
        else groups.apply(list, caughtUp);
        if (rt != null) rt.stats().atEof(caughtUp && getOpenTransactions() == 0);
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
        if (runtime == null) runtime = GroupRuntimes.of(camelContext, homePath(), getGroup());
        return runtime;
    }

    /** The group's runtime, or null for an applier used without a CamelContext (no STATS, lag, REPORTCOUNT). */
    GroupRuntime runtimeIfBound() {
        return camelContext == null || getGroup() == null ? null : runtime();
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

    /**
     * CPU time the route's thread spent in this applier since it was made, in nanoseconds (0 where the JVM does not
     * measure thread CPU time): the serial Replicat's apply thread, H2's own work inside it included, and the
     * parallel Replicat's trail thread (skips, target lookups, dispatch, and the mapping and keys unless MAP_PARALLELISM's
     * mappers do them; the appliers and mappers are not counted).
     */
    public synchronized long getRouteCpuNanos() {
        return stats.routeCpuNanos;
    }

    /**
     * CPU time of the stage-ahead committer's thread in the groups it executed and committed since this bean was made,
     * in nanoseconds (0 without stage-ahead: {@link #getRouteCpuNanos()} then counts that work).
     */
    public synchronized long getCommitterCpuNanos() {
        return stats.committerCpuNanos;
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
        return isParallel() ? parallel.inFlight() : groups.openTransactions();
    }

    /** Tests only: MIN/MAX_APPLY_PARALLELISM's step taken now, between exchanges, whatever the tuner would say. */
    synchronized void parallelStep(ApplierTuner.Step step) {
        parallel.step(step, "a test's step");
    }

    /** PARALLEL: TRANSABORTs rolled back so far, including those of transactions still being retried. */
    synchronized long parallelTransAbortsSoFar() {
        return isParallel() ? parallel.transAbortsSoFar() : 0;
    }

    /**
     * Last committed checkpoint (as read at startup or written since), or empty. Does not take the applier's lock:
     * a caller polling progress neither waits for the exchange being applied nor makes the apply thread wait for it.
     */
    public Optional<CheckpointTable.Row> lastCheckpoint() {
        return Optional.ofNullable(checkpoints.last());
    }

    /** The OGG-30176 warning of the last start, or null. */
    public synchronized String getStartupWarning() {
        return checkpoints.startupWarning();
    }

    /** REPERROR / HANDLECOLLISIONS counters since start (a snapshot is not taken: read while idle). */
    public synchronized Counters getCounters() {
        return stats.counters;
    }

    // published after every exchange: metrics read it without waiting for an apply in progress
    private volatile ApplyView view = ApplyView.EMPTY;

    /**
     * Whether the target answers now (health checks): a fresh connection with the group's login, validated within
     * {@code timeoutSeconds}; null when it answered, else why not. Never touches the apply connection.
     */
    public String targetUnreachable(int timeoutSeconds) {
        java.sql.DriverManager.setLoginTimeout(timeoutSeconds);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(getJdbcUrl(), getUser(), password())) {
            return c.isValid(timeoutSeconds) ? null : getJdbcUrl() + " does not answer a validation query";
        } catch (java.sql.SQLException e) {
            return getJdbcUrl() + ": " + e.getMessage();
        }
    }

    /** The counters as of the last exchange processed, for metrics ({@link ApplyView}). */
    public ApplyView applyView() {
        return view;
    }
}
