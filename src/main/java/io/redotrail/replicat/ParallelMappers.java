package io.redotrail.replicat;

import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.ChangeStatements.Stmt;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * MAP_PARALLELISM of the parallel Replicat: mappers, then the collater that restores trail order, before the
 * scheduler. With 1 (the default) each transaction is mapped on the trail thread and dispatched at once, no thread
 * is started. With n above 1, n threads of the CamelContext's ExecutorServiceManager ("Replicat GROUP mapper") map
 * chunks of consecutive transactions; the trail thread is the collater: it takes each chunk's result in trail order
 * (a future per chunk, at most 2n outstanding) and dispatches its units as soon as that chunk is mapped, while later
 * chunks are still being mapped. It dispatches the very units, in the very order, the inline path would.
 * <p>
 * What stays on the trail thread, in trail order: the skip decisions and heartbeats ({@link ParallelReplicat}), and
 * everything that can touch the coordinator's connection on a cache miss: each change's target
 * ({@link TargetResolver#target}: Mapper.resolve, TargetTables) and its table's foreign keys
 * ({@link ParallelKeys#load}). They are resolved before the hand-off rather than behind a lock, because that
 * connection also writes the low watermark on this thread: a lock in TargetResolver would not stop a metadata
 * query and a watermark commit from sharing the connection at once. A mapper does only pure work on immutable
 * targets: {@link TargetResolver#map} (Mapper.map reads its statement only), {@link ChangeStatements#prepare} (its
 * shapes are interned in a ConcurrentHashMap, one instance per shape) and {@link ParallelKeys#keys} (concurrent
 * caches of pure functions; the foreign keys are loaded already). Row images encoded in the trail are decoded
 * there, on first access (RowImage publishes its decoded form safely to the appliers).
 * <p>
 * Errors: a change's {@link ApplyError} stays with the change (REPERROR decides in the applier). Any other failure
 * mapping a transaction, on a mapper or on the trail thread, is the group's abend naming that transaction: the
 * units before it are dispatched first (so an earlier failure is the one reported), none after it; the chunks
 * behind it are abandoned ({@link #discard}). Used by the trail thread only; the mappers share nothing mutable
 * but the caches named above.
 */
final class ParallelMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);
    /** Changes per chunk: a few per exchange, each large enough to make its future cheap. */
    static final int CHUNK_OPS = 128;

    /** Where the collater sends transactions, in trail order, on the trail thread. */
    interface Sink {
        /** A transaction (or a SPLIT_TRANS_RECS piece, else null) the restart skips (a _LOX row): the scheduler places it in trail order. */
        void skipped(Transaction tx, TransactionPiece piece);

        void dispatch(ParallelUnit u) throws SQLException, InterruptedException;
    }

    /**
     * A transaction handed to a mapper (or a SPLIT_TRANS_RECS piece of one, else {@code piece} null): its targets
     * (or their ApplyErrors) resolved; {@code skip}: only placed.
     */
    private record Job(Transaction tx, TransactionPiece piece, List<HeartbeatTables.Received> beats, Object[] targets,
                       ChangeApplier prep, TargetResolver resolver, boolean skip) {
    }

    /** A chunk's units and skipped transactions in trail order, and the failure that ended it early, if any. */
    private record Mapped(List<Object> out, ReplicatException failure) {
    }

    private final String group;
    private final ParallelKeys keys;
    private final Sink sink;
    private final ExecutorService pool;
    private final CamelContext context;
    private final int chunkOps;
    private final int threads;
    private final int window;
    private final ArrayDeque<Future<Mapped>> pending = new ArrayDeque<>();
    private List<Job> chunk = new ArrayList<>();
    private int chunkChanges;
    private long chunks;
    /** Tests only: called on the mapper before each transaction of chunk {@code c}, and with null once it is mapped. */
    BiConsumer<Long, Transaction> probe = (c, tx) -> { };

    /** {@code threads} 1: inline on the trail thread; else a pool of that many mappers. */
    ParallelMappers(String group, int threads, int chunkOps, CamelContext context, ParallelKeys keys, Sink sink) {
        this.group = group;
        this.keys = keys;
        this.sink = sink;
        this.context = context;
        this.chunkOps = Math.max(1, chunkOps);
        this.threads = threads <= 1 ? 0 : threads;
        this.window = 2 * threads;
        this.pool = threads <= 1 ? null : context != null
                ? context.getExecutorServiceManager().newFixedThreadPool(this, "Replicat " + group + " mapper", threads)
                : Executors.newFixedThreadPool(threads);
    }

    /** Tests only: the mappers' pool (a forced stop of the CamelContext stops it under the collater). */
    ExecutorService pool() {
        return pool;
    }

    /** Mapper threads started (0: inline). */
    int threads() {
        return threads;
    }

    /** Chunks handed to the mappers so far (0 inline). */
    long chunks() {
        return chunks;
    }

    /** A transaction the restart skips, placed in trail order among the dispatched ones. */
    void skipped(Transaction tx) throws SQLException, InterruptedException {
        skipped(tx, null);
    }

    /** A transaction, or a SPLIT_TRANS_RECS piece of one ({@code piece} not null), that the restart skips. */
    void skipped(Transaction tx, TransactionPiece piece) throws SQLException, InterruptedException {
        if (pool == null) sink.skipped(tx, piece);
        else add(new Job(tx, piece, List.of(), null, null, null, true), 0);
    }

    /** Resolves the targets of {@code tx} (heartbeats taken out) here, then maps and dispatches it in trail order. */
    void map(Transaction tx, List<HeartbeatTables.Received> beats, ChangeApplier prep, TargetResolver resolver)
            throws SQLException, InterruptedException {
        map(tx, null, beats, prep, resolver);
    }

    /** As {@link #map(Transaction, List, ChangeApplier, TargetResolver)}; {@code tx} is that piece of its transaction ({@code piece} not null). */
    void map(Transaction tx, TransactionPiece piece, List<HeartbeatTables.Received> beats, ChangeApplier prep,
             TargetResolver resolver) throws SQLException, InterruptedException {
        Object[] targets = new Object[tx.size()];
        try {
            int i = 0;
            for (RowChange ch : tx.changes()) {
                try {
                    TargetResolver.Target tg = resolver.target(tx, ch);
                    keys.load(tg.table());
                    targets[i++] = tg;
                } catch (ApplyError e) {
                    targets[i++] = e; // UNMAPPED, NOTABLE, MAPPING: for REPERROR in the applier's replay
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw failedAt(tx, e);
        }
        Job j = new Job(tx, piece, beats, targets, prep, resolver, false);
        if (pool == null) {
            ParallelUnit u;
            try {
                u = unit(j);
            } catch (SQLException | RuntimeException e) {
                throw failed(tx, e);
            }
            sink.dispatch(u);
        } else {
            add(j, tx.size());
        }
    }

    /**
     * Trail-thread work on {@code tx} failed with {@code e}: what precedes it is mapped and dispatched first, and a
     * mapping failure there, being earlier in trail order, is the one returned; else {@code e} naming {@code tx}.
     */
    RuntimeException failedAt(Transaction tx, Throwable e) throws SQLException, InterruptedException {
        try {
            flush();
        } catch (SQLException | InterruptedException | RuntimeException earlier) {
            earlier.addSuppressed(e); // the earlier failure is the abend's; this one is kept with it
            throw earlier;
        } finally {
            discard();
        }
        return failed(tx, e);
    }

    /** Every transaction handed over so far is mapped and dispatched (end of an exchange). */
    void flush() throws SQLException, InterruptedException {
        submit();
        collate(true);
    }

    /** After an abend: the chunks not yet collated are abandoned, never dispatched. */
    void discard() {
        for (Future<Mapped> f : pending) f.cancel(true);
        pending.clear();
        chunk = new ArrayList<>();
        chunkChanges = 0;
    }

    /** Stops the mappers (at the group's stop). */
    void close() {
        discard();
        if (pool != null) shutdown(context, pool, group, "mappers");
    }

    /** Shuts a pool of the group down as the CamelContext made it, waiting up to 30 s for its threads. */
    static void shutdown(CamelContext context, ExecutorService pool, String group, String what) {
        if (context != null) context.getExecutorServiceManager().shutdown(pool);
        else pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("{}: {} still running at stop", group, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void add(Job j, int changes) throws SQLException, InterruptedException {
        chunk.add(j);
        chunkChanges += Math.max(1, changes);
        if (chunkChanges >= chunkOps) submit();
        collate(false);
    }

    private void submit() {
        if (chunk.isEmpty()) return;
        List<Job> jobs = chunk;
        long index = chunks++;
        chunk = new ArrayList<>();
        chunkChanges = 0;
        pending.add(pool.submit(() -> mapChunk(index, jobs)));
    }

    /** Dispatches the mapped chunks at the head, in trail order; waits for the head when {@code all} or the window is full. */
    private void collate(boolean all) throws SQLException, InterruptedException {
        while (!pending.isEmpty()) {
            Future<Mapped> head = pending.peek();
            if (!all && !head.isDone() && pending.size() < window) return;
            Mapped m = await(head);
            pending.poll();
            for (Object o : m.out()) {
                if (o instanceof ParallelUnit u) sink.dispatch(u);
                else sink.skipped(((Job) o).tx(), ((Job) o).piece());
            }
            if (m.failure() != null) throw m.failure(); // nothing after it is dispatched
        }
    }

    /**
     * The head chunk's result. Waits in steps: a pool stopped by anything but {@link #close} (a forced stop of the
     * CamelContext) never runs the chunks still queued, and the trail thread, holding the applier's lock, must not
     * wait for them for ever.
     */
    private Mapped await(Future<Mapped> head) throws InterruptedException {
        while (true) {
            try {
                return head.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (pool.isTerminated() && !head.isDone()) {
                    throw new ReplicatException(group + ": the mapper threads stopped with transactions not mapped");
                }
            } catch (ExecutionException e) {
                // mapChunk keeps what a transaction raises: only an Error gets here
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** On a mapper: the chunk's transactions in order, up to the first that cannot be mapped. */
    private Mapped mapChunk(long index, List<Job> jobs) {
        List<Object> out = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            if (j.skip()) {
                out.add(j);
                continue;
            }
            try {
                probe.accept(index, j.tx());
                out.add(unit(j));
            } catch (SQLException | RuntimeException e) {
                return new Mapped(out, failed(j.tx(), e));
            }
        }
        probe.accept(index, null);
        return new Mapped(out, null);
    }

    /** The transaction's unit: each change mapped and prepared (an ApplyError kept with its change), and its keys. */
    private ParallelUnit unit(Job j) throws SQLException {
        Transaction tx = j.tx();
        List<Stmt> stmts = new ArrayList<>(j.targets().length);
        Object[] resolved = new Object[j.targets().length];
        boolean unresolved = false;
        int i = 0;
        for (RowChange ch : tx.changes()) {
            Object target = j.targets()[i];
            if (target instanceof ApplyError e) {
                resolved[i] = e;
                unresolved = true;
            } else {
                TargetResolver.Target tg = (TargetResolver.Target) target;
                RowChange m = null;
                try {
                    m = j.resolver().map(tx, ch, tg);
                    resolved[i] = new OperationReplayer.Resolved(tg, m);
                    stmts.add(j.prep().prepare(tx, m, tg.table(), tg.keyCols(), tg.derived()));
                } catch (ApplyError e) {
                    // MAPPING: REPERROR decides in the applier's replay, as in the serial Replicat
                    if (m == null) resolved[i] = e;
                    unresolved = true;
                }
            }
            i++;
        }
        List<List<KeyValues>> rows = new ArrayList<>(stmts.size());
        ParallelUnit u = new ParallelUnit(tx, stmts, keys.keys(stmts, j.beats(), rows), j.beats(), rows);
        u.piece = j.piece();
        u.resolved = resolved;
        u.unresolved = unresolved;
        return u;
    }

    private ReplicatException failed(Transaction tx, Throwable e) {
        return new ReplicatException(group + ": mapping failed" + ChangeStatements.where(tx) + ": " + e, e);
    }
}
