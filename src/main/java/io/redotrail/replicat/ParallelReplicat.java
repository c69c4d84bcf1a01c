package io.redotrail.replicat;

import io.redotrail.core.RowChange;
import io.redotrail.core.ThreadCpu;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parallel Replicat ({@code ADD REPLICAT r, PARALLEL}; bean property {@code parallel}): the trail thread
 * skips what the checkpoint table says is applied and resolves each change's target on the session's connection
 * (the coordinator's); the transaction is mapped to its statements and its dependency keys ({@link ParallelKeys})
 * on that thread, or with MAP_PARALLELISM n above 1 on n mapper threads, and handed to the
 * {@link ParallelScheduler} in trail order ({@link ParallelMappers}); APPLY_PARALLELISM {@link ParallelWorker}s (or, with
 * MIN/MAX_APPLY_PARALLELISM, as many as the workload calls for: {@link ParallelAppliers}) apply and commit on their own
 * connections, on threads of the CamelContext's ExecutorServiceManager. After each exchange the low watermark
 * goes to the group's checkpoint row and the {@code .cpr} (and every 0.5 s within a long exchange) ({@link ParallelCheckpoints}); the trail is re-read
 * from it after a restart and every transaction with a _LOX row is skipped, so kill -9 neither loses nor
 * repeats a transaction.
 * <p>
 * Why a restart is exact although commits beyond the low watermark are out of trail order (independent
 * transactions pass waiting ones, see {@link ParallelScheduler}):
 * <ol>
 * <li>a transaction's rows (and its heartbeats' GG_HEARTBEAT / GG_HEARTBEAT_HISTORY rows), its applier row and
 * the _LOX row listing it commit in one target transaction: it is applied
 * if and only if a _LOX row lists it, or it is at or below a low watermark written earlier;</li>
 * <li>the low watermark only names the end of a prefix (trail order) of committed transactions, and it moves
 * in one target transaction with the deletion of the _LOX rows whose highest CSN is below its own, which list
 * only transactions of that prefix (the trail is in CSN order); a crash leaves either the old watermark with
 * all the rows or the new one;</li>
 * <li>so after kill -9 the applied set is exactly: the prefix up to the written watermark, plus what the _LOX
 * rows list. The re-read skips exactly those and applies the rest, none of which reached the target;</li>
 * <li>a dependent transaction commits only after what it depends on (same connection in queue order, or
 * assigned after it committed), so what the crash left unapplied never has an applied dependent: applying
 * it after the restart, again by dependencies, gives the rows a serial apply in trail order gives.</li>
 * </ol>
 * <p>
 * SPLIT_TRANS_RECS n: a transaction of more than n operations is split into pieces of n ({@link TransactionPiece}),
 * each scheduled, applied and committed as a transaction of its own (as GoldenGate does, a reader of the target may
 * see some pieces before the others). The proof holds with "piece" for "transaction": _LOX lists each piece by its
 * operation range, the low watermark passes a transaction only with its last piece, and a restart applies the
 * operations no listed range holds, whatever SPLIT_TRANS_RECS it runs with (a serial Replicat too).
 * <p>
 * REPERROR and HANDLECOLLISIONS: the trail thread resolves each change's target (its error, UNMAPPED, NOTABLE or
 * MAPPING, is kept for REPERROR); an applier whose work failed replays it one operation at a time on its own
 * connection and commits it with its rows as above ({@link ParallelReplay}), so the proof holds unchanged.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}; the workers share only the
 * scheduler (thread-safe), immutable statements and targets, and {@link ParallelReplay} (thread-safe); the mappers
 * what {@link ParallelMappers} names.
 */
final class ParallelReplicat {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    private final TargetSession session;
    private final ReplicatCheckpoints checkpoints;
    private final ReplicatStats stats;
    private ParallelScheduler scheduler;
    private ParallelCheckpoints rows;
    private ParallelKeys keys;
    /** Heartbeat records: taken out by the trail thread, written by the appliers with their transaction. */
    private final HeartbeatApply heartbeats;
    private ParallelReplay replays;
    private Set<String> appliedAbove;
    /** The SPLIT_TRANS_RECS pieces among them, per transaction ({@code csn/xid}): {from, count, total} of each. */
    private Map<String, List<int[]>> appliedPieces;
    /** The appliers' threads and connections, and MIN/MAX_APPLY_PARALLELISM's steps. */
    private ParallelAppliers appliers;
    private ParallelMappers mappers;
    private CamelContext context;
    private Transaction written;
    private long[] counted = {0, 0};
    private ReplicatException abended;
    private long lastWatermark = System.nanoTime();
    private static final long WATERMARK_NANOS = 500_000_000L;
    /**
     * The trail thread's time handing transactions to the scheduler (its waits included) and writing the low
     * watermark, nanoseconds; the low watermark writes; the trail thread's CPU in {@link #process}, nanoseconds.
     */
    private long dispatchNanos, watermarkNanos, watermarks, trailCpuNanos;

    ParallelReplicat(ReplicatApplier cfg, TargetSession session, ReplicatCheckpoints checkpoints, ReplicatStats stats) {
        this.cfg = cfg;
        this.session = session;
        this.checkpoints = checkpoints;
        this.stats = stats;
        this.heartbeats = new HeartbeatApply(cfg);
    }

    boolean running() {
        return scheduler != null;
    }

    /** After the session opened: reads the _LOX rows, connects the appliers and starts their threads. */
    void start(CamelContext context) {
        if (scheduler != null) return;
        String group = cfg.getGroup();
        abended = null;
        if (!cfg.getAtCsn().isBlank() || !cfg.getAfterCsn().isBlank()) {
            throw new ReplicatException(group + ": START REPLICAT ... ATCSN / AFTERCSN is not supported with PARALLEL");
        }
        ParallelAppliers pa = new ParallelAppliers(cfg); // refuses a wrong MIN/MAX_APPLY_PARALLELISM first
        List<Connection> conns;
        try {
            rows = new ParallelCheckpoints(session.table(), group);
            appliedAbove = rows.appliedAbove(session.conn());
            appliedPieces = ParallelCheckpoints.pieces(appliedAbove);
            session.conn().commit();
            keys = new ParallelKeys(session.conn());
            conns = pa.connectInitial();
        } catch (SQLException e) {
            throw new ReplicatException(group + ": cannot start the parallel appliers: " + e.getMessage(), e);
        }
        boolean full = cfg.getCommitSerialization() == ReplicatSettings.CommitSerialization.FULL;
        ParallelScheduler sched = new ParallelScheduler(pa.size(), pa.initial(), full, Math.max(64, 2 * cfg.getGroupTransOps()),
                cfg.getSplitTransRecs(), ParallelScheduler.FILL_NANOS);
        scheduler = sched;
        this.context = context;
        ParallelReplay rep = new ParallelReplay(cfg, session);
        replays = rep;
        appliers = pa;
        pa.start(context, sched, conns, (i, c) -> new ParallelWorker(group, i, c, cfg.getBatchSize(), sched, rows,
                heartbeats, cfg.isBatchSql(), full, cfg.getGroupTransOps(), rep));
        written = null;
        mappers = new ParallelMappers(group, cfg.getMapParallelism(), ParallelMappers.CHUNK_OPS, context, keys, sink());
        GroupRuntime rt = cfg.runtimeIfBound();
        if (mappers.threads() > 0 && rt != null) {
            rt.report().info("RTR-01310", group + ": MAP_PARALLELISM " + mappers.threads() + ": " + mappers.threads()
                    + " mapper threads map chunks of transactions; the trail thread dispatches them in trail order");
        }
        LOG.info("{}: parallel Replicat: APPLY_PARALLELISM {}, MAP_PARALLELISM {} ({} mapper thread(s)), COMMIT_SERIALIZATION {}, "
                + "SPLIT_TRANS_RECS {}, {} transaction(s) or piece(s) listed in _LOX (applied, skipped when re-read)", group, pa.initial(),
                cfg.getMapParallelism(), mappers.threads(), cfg.getCommitSerialization(),
                cfg.getSplitTransRecs() > 0 ? cfg.getSplitTransRecs() : "not set", appliedAbove.size());
    }

    /** Tests only: MIN/MAX_APPLY_PARALLELISM's step taken now ({@link ParallelAppliers#step}). */
    void step(ApplierTuner.Step step, String why) {
        appliers.step(step, why);
    }

    /**
     * One exchange's transactions (trail order): skipped when applied, else mapped (here or on the mappers) and
     * dispatched in trail order; then the low watermark. {@code caughtUp}: the trail had nothing more when the
     * exchange was read, so the trail thread waits (up to caughtUpWaitMillis, 500 ms by default) for what is in flight
     * to commit before it writes the low watermark, as the serial Replicat commits its open group: otherwise the
     * checkpoint named only what had committed when the exchange was dispatched, and moved again at the next
     * exchange, an idle one a second later (the bench's parallel stage ended in ~0.7 s of idle appliers).
     */
    void process(List<?> list, boolean caughtUp) {
        refuseIfAbended();
        long cpu = ThreadCpu.now();
        try {
            ChangeApplier prep = session.applier();
            TargetResolver targets = session.targets();
            for (Object o : list) {
                Transaction tx = (Transaction) o;
                // _LOX first: checkpoints.applied(tx) is true for these too (for a serial Replicat after a parallel
                // run), but the scheduler must place them in trail order or the low watermark never passes them
                // null when nothing is listed (every start but a restart after a crash): no key to build per transaction
                String lox = appliedAbove.isEmpty() ? null : ParallelCheckpoints.loxKey(tx);
                // an entry the row's watermark already holds (the _LOX row of the watermark's own CSN keeps entries
                // below it) is not above it: placed as one, it would move the low watermark back (re-read after
                // ALTER REPLICAT back), and what follows it would be applied twice
                if (lox != null && appliedAbove.contains(lox) && !checkpoints.rowHolds(tx)) {
                    stats.skippedTransactions++;
                    mappers.skipped(tx); // scheduler.skipped in trail order: the low watermark may pass it then
                    continue;
                }
                if (checkpoints.applied(tx)) {
                    stats.skippedTransactions++;
                    // below the row's watermark (re-read after ALTER REPLICAT back): the low watermark moves past it
                    Transaction passed = checkpoints.passed(tx);
                    if (passed != null) mappers.skipped(passed);
                    continue;
                }
                // heartbeats never reach MAP: they go to GG_HEARTBEAT with the transaction's _LOX row, exactly once
                List<HeartbeatTables.Received> beats = new ArrayList<>(0);
                Transaction rest;
                try {
                    rest = heartbeats.take(tx, System.currentTimeMillis(), beats);
                } catch (RuntimeException e) {
                    throw mappers.failedAt(tx, e);
                }
                List<int[]> done = lox == null ? List.of() : appliedPieces.getOrDefault(lox, List.of());
                int split = cfg.getSplitTransRecs();
                if (done.isEmpty() && (split == 0 || rest.size() <= split)) mappers.map(rest, beats, prep, targets);
                else pieces(rest, split, done, beats, prep, targets);
            }
            mappers.flush();
            if (caughtUp) scheduler.drain(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(cfg.getCaughtUpWaitMillis()));
            watermark();
            appliers.tune();
        } catch (Throwable e) {
            if (mappers != null) mappers.discard();
            throw abend(e);
        } finally {
            trailCpuNanos += ThreadCpu.now() - cpu;
        }
    }

    /**
     * SPLIT_TRANS_RECS: {@code tx} (heartbeats taken out) as pieces of at most {@code split} operations (0: not
     * split), each mapped and dispatched as a transaction; those an earlier run committed ({@code done}, from
     * _LOX) are skipped. The heartbeats go with the piece that starts the transaction. The changes are read once, in
     * order (a spilled transaction streams them, random access is refused), a piece at a time.
     */
    private void pieces(Transaction tx, int split, List<int[]> done, List<HeartbeatTables.Received> beats,
                        ChangeApplier prep, TargetResolver targets) throws SQLException, InterruptedException {
        Iterator<RowChange> changes = tx.changes().iterator();
        for (TransactionPiece p : TransactionPiece.of(tx.size(), split, done)) {
            List<RowChange> part = new ArrayList<>(p.count());
            for (int i = 0; i < p.count(); i++) part.add(changes.next());
            Transaction piece = tx.withChanges(part);
            if (p.applied()) {
                // counted once: applied when its last piece commits in this run, skipped when that one did before
                if (p.last()) stats.skippedTransactions++;
                mappers.skipped(piece, p);
            } else {
                mappers.map(piece, p, p.from() == 0 ? beats : List.of(), prep, targets);
            }
        }
    }

    /** The collater's end: the scheduler, and the low watermark every 0.5 s within a long exchange. */
    private ParallelMappers.Sink sink() {
        return new ParallelMappers.Sink() {
            @Override
            public void skipped(Transaction tx, TransactionPiece piece) {
                scheduler.skipped(tx, piece);
            }

            @Override
            public void dispatch(ParallelUnit u) throws SQLException, InterruptedException {
                long t0 = System.nanoTime();
                scheduler.dispatch(u);
                dispatchNanos += System.nanoTime() - t0;
                // a long exchange still moves the low watermark: a restart then re-reads less
                if (System.nanoTime() - lastWatermark > WATERMARK_NANOS) {
                    watermark();
                    appliers.tune(); // not at stop: only while there is a trail to apply
                }
            }
        };
    }

    /** Writes the low watermark when it moved (its own small transaction on the coordinator's connection). */
    void watermark() throws SQLException {
        lastWatermark = System.nanoTime();
        Transaction lwm = scheduler.lowWatermark();
        long[] c = scheduler.committed();
        stats.appliedTransactions += c[0] - counted[0];
        stats.appliedOperations += c[1] - counted[1];
        counted = c;
        replays.drainInto(stats, cfg.runtimeIfBound(), session.targets()::targetName);
        if (lwm == null || lwm == written) return;
        rows.watermark(session.conn(), lwm);
        session.conn().commit();
        watermarks++;
        watermarkNanos += System.nanoTime() - lastWatermark;
        written = lwm;
        checkpoints.committed(List.of(lwm), Set.of(lwm.xid().toString()));
        GroupRuntime rt = cfg.runtimeIfBound();
        if (rt != null) rt.stats().processed(lwm.commitTimestampMillis(), System.currentTimeMillis());
    }

    /** TRANSABORTs rolled back so far, including those of transactions still being retried. */
    long transAbortsSoFar() {
        return replays == null ? 0 : replays.transAbortsSoFar();
    }

    /** Appliers taking work (0 before the start). */
    int appliers() {
        return scheduler == null ? 0 : scheduler.active();
    }

    /** Transactions handed to appliers and not yet committed. */
    int inFlight() {
        return scheduler == null ? 0 : scheduler.inFlight();
    }

    /** At stop: waits for the appliers to commit what they hold (unless abended), writes the watermark, stops them. */
    void stop() {
        if (scheduler == null) return;
        try {
            if (abended == null) {
                scheduler.drain();
                watermark();
            }
        } catch (Throwable e) {
            abend(e);
        } finally {
            scheduler.close();
            long chunks = mappers == null ? 0 : mappers.chunks();
            if (mappers != null) mappers.close();
            mappers = null;
            appliers.stop(context);
            long[] w = scheduler.waits();
            LOG.info("{}: trail thread: CPU {} ms, {} ms dispatching ({} transaction(s) waited for their dependencies, {} passed "
                    + "waiting ones), {} low watermark write(s) in {} ms; {} chunk(s) mapped by MAP_PARALLELISM's mappers{}",
                    cfg.getGroup(), trailCpuNanos / 1_000_000, dispatchNanos / 1_000_000, w[0], w[1], watermarks,
                    watermarkNanos / 1_000_000, chunks, appliers.summary());
            scheduler = null;
        }
    }

    void refuseIfAbended() {
        RuntimeException f = scheduler == null ? null : scheduler.failure();
        if (abended == null && f != null) abend(f);
        if (abended != null) {
            throw new ReplicatException(cfg.getGroup() + " is abended and refuses further work until restarted; cause: "
                    + abended.getMessage(), abended);
        }
    }

    private ReplicatException abend(Throwable e) {
        RuntimeException f = scheduler == null ? null : scheduler.failure();
        Throwable cause = f != null ? f : e;
        ReplicatException re = cause instanceof ReplicatException r ? r
                : new ReplicatException(cfg.getGroup() + ": parallel apply failed: " + cause.getMessage(), cause);
        if (abended == null) {
            abended = re;
            LOG.error("{}: PROCESS ABENDING: {}", cfg.getGroup(), re.getMessage());
            if (cfg.runtimeIfBound() != null) cfg.runtime().recordAbend(re);
            if (scheduler != null) scheduler.failed(re);
        }
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        return abended;
    }
}
