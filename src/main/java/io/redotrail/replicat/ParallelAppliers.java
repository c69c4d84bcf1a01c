package io.redotrail.replicat;

import io.redotrail.core.Jdbc;
import io.redotrail.report.GroupRuntime;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The parallel Replicat's appliers as threads and connections: APPLY_PARALLELISM {@link ParallelWorker}s for the
 * run, or with MIN/MAX_APPLY_PARALLELISM as many as {@link ApplierTuner} calls for, from the middle of the range,
 * on threads of the CamelContext's ExecutorServiceManager (a pool of MAX). The scheduler decides which of them take
 * work; this class opens their connections and starts and counts them.
 * <p>
 * Not thread-safe: the trail thread's (start, {@link #tune}, {@link #step}, stop); the workers share only what
 * {@link ParallelReplicat} names.
 */
final class ParallelAppliers {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    /** MIN/MAX_APPLY_PARALLELISM: adds and retires appliers; null with a fixed APPLY_PARALLELISM. */
    private final ApplierTuner tuner;
    /** Appliers that may run, and those started with. */
    private final int size, initial;
    private ExecutorService pool;
    private ParallelScheduler scheduler;
    private java.util.function.BiFunction<Integer, Connection, ParallelWorker> workers;
    private volatile long steps; // read by STATUS's thread

    /** The appliers {@code cfg} asks for; MIN/MAX_APPLY_PARALLELISM wrong (one alone, MIN above MAX) is refused, naming both. */
    ParallelAppliers(ReplicatApplier cfg) {
        this.cfg = cfg;
        boolean tuned;
        try {
            tuned = cfg.isApplyParallelismTuned();
        } catch (IllegalArgumentException e) {
            throw new ReplicatException(cfg.getGroup() + ": " + e.getMessage(), e);
        }
        this.tuner = tuned ? new ApplierTuner(cfg.getMinApplyParallelism(), cfg.getMaxApplyParallelism(),
                TimeUnit.MILLISECONDS.toNanos(cfg.getApplyTuneMillis())) : null;
        this.size = tuner == null ? cfg.getApplyParallelism() : tuner.max();
        this.initial = tuner == null ? size : ApplierTuner.initial(tuner.min(), tuner.max());
    }

    /** Appliers that may run: the scheduler's size. */
    int size() {
        return size;
    }

    /** Appliers the run starts with. */
    int initial() {
        return initial;
    }

    /** A new connection for an applier (autoCommit off, the URL's batch settings). */
    Connection connect() throws SQLException {
        Connection c = Jdbc.connect(Jdbc.forBatches(cfg.getJdbcUrl()), cfg.getUser(), cfg.password());
        c.setAutoCommit(false);
        return c;
    }

    /**
     * Starts the first {@link #initial} appliers on {@code conns} (one each); {@code workers} makes the worker of
     * applier i on a connection.
     */
    void start(CamelContext context, ParallelScheduler scheduler, List<Connection> conns,
               java.util.function.BiFunction<Integer, Connection, ParallelWorker> workers) {
        this.scheduler = scheduler;
        this.workers = workers;
        String group = cfg.getGroup();
        // twice MAX threads: a stopped worker's thread may still be closing its connection when its applier is added
        // again, and the new worker must not wait in the pool's queue for a thread
        pool = context != null ? context.getExecutorServiceManager().newFixedThreadPool(this, "Replicat " + group, 2 * size)
                : Executors.newFixedThreadPool(2 * size);
        for (int i = 0; i < conns.size(); i++) pool.execute(workers.apply(i, conns.get(i)));
        report(rt -> rt.statusDetail(() -> status(scheduler)));
        if (tuner != null) {
            tuner.baseline(scheduler.load(System.nanoTime()), System.nanoTime());
            String range = group + ": APPLY_PARALLELISM tuned between MIN_APPLY_PARALLELISM " + tuner.min()
                    + " and MAX_APPLY_PARALLELISM " + tuner.max() + ", starting with " + initial + " appliers";
            LOG.info(range);
            report(rt -> rt.report().info("RTR-01311", range));
        }
    }

    /** The first {@link #initial} connections; on a failure those opened are closed and it is thrown. */
    List<Connection> connectInitial() throws SQLException {
        List<Connection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < initial; i++) conns.add(connect());
        } catch (SQLException e) {
            for (Connection c : conns) closeQuietly(c);
            throw e;
        }
        return conns;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: that failure is the one reported
        }
    }

    /** MIN/MAX_APPLY_PARALLELISM, on the trail thread: the step {@link ApplierTuner} calls for, once an interval. */
    void tune() {
        if (tuner == null) return;
        long now = System.nanoTime();
        ApplierTuner.Step step = tuner.step(scheduler.load(now), now);
        if (step != ApplierTuner.Step.HOLD) step(step, tuner.why());
    }

    /**
     * Adds or retires an applier ({@code why}: for the report). Added: its connection first, then it is made active,
     * then its worker starts; a worker started before would find itself not active, with nothing queued, and stop
     * (so it did, found by a bench run that then waited for ever on the work assigned to it). A connection that
     * cannot be opened is a warning (RTR-01313), not an abend: the appliers running keep applying, and no step up is
     * tried for ten intervals.
     */
    void step(ApplierTuner.Step step, String why) {
        int before = scheduler.active();
        String group = cfg.getGroup();
        if (step == ApplierTuner.Step.RETIRE) {
            scheduler.retire();
        } else if (!scheduler.resume()) {
            Connection c;
            try {
                c = connect();
            } catch (SQLException e) {
                if (tuner != null) tuner.addFailed(System.nanoTime());
                String m = group + ": cannot connect applier " + (before + 1) + " (" + why + "): " + e.getMessage()
                        + "; applying with " + before;
                LOG.warn(m);
                report(rt -> rt.report().warning("RTR-01313", m));
                return;
            }
            ParallelWorker w = workers.apply(before, c);
            scheduler.added();
            try {
                pool.execute(w);
            } catch (RuntimeException e) {
                // the applier is active with no worker: what is queued on it would wait for ever, so the group abends
                closeQuietly(c);
                throw new ReplicatException(group + ": cannot start applier " + (before + 1) + ": " + e.getMessage(), e);
            }
        }
        int after = scheduler.active();
        if (tuner != null) tuner.baseline(scheduler.load(System.nanoTime()), System.nanoTime());
        steps++;
        String m = group + ": " + (after > before ? "added applier " + after : "retired applier " + before) + ", "
                + after + " of MAX_APPLY_PARALLELISM " + size + " apply now: " + why;
        LOG.info(m);
        report(rt -> rt.report().info("RTR-01312", m));
    }

    private void report(java.util.function.Consumer<GroupRuntime> write) {
        GroupRuntime rt = cfg.runtimeIfBound();
        if (rt != null) write.accept(rt);
    }

    /** SEND REPLICAT r, STATUS: {@code Appliers: 5 (tuned between MIN_APPLY_PARALLELISM 2 and MAX_APPLY_PARALLELISM 8, 3 step(s))}. */
    private String status(ParallelScheduler s) {
        return "Appliers: " + s.active() + (tuner == null ? " (APPLY_PARALLELISM " + size + ")"
                : " (tuned between MIN_APPLY_PARALLELISM " + tuner.min() + " and MAX_APPLY_PARALLELISM " + tuner.max() + ", "
                + steps + " step(s))");
    }

    /** For the stop line: the steps taken, or empty with a fixed APPLY_PARALLELISM. */
    String summary() {
        return tuner == null ? "" : "; " + steps + " applier(s) added or retired, " + scheduler.active() + " applying at the end";
    }

    /** After the scheduler closed: waits for the workers to finish (they close their connections). */
    void stop(CamelContext context) {
        report(rt -> rt.statusDetail(null));
        if (pool != null) ParallelMappers.shutdown(context, pool, cfg.getGroup(), "appliers");
        pool = null;
    }
}
