package io.redotrail.sim;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.IntFunction;
import java.util.ArrayList;
import java.time.Clock;

/**
 * Connects the simulator to the real redo log writers, one per redo thread (RAC instance). {@link #flush()}
 * first gives every thread that is behind the global SCN a heartbeat record at that SCN (its watermark, so a
 * reader merging the threads need not wait for an idle one), then fsyncs every thread: the simulator calls it
 * before committing the same group to the source database, so the redo is never behind the source. Also
 * remembers the CSN of the last committed transaction that touched a selected table, so a caller can tell when
 * a downstream Replicat has caught up. {@link #open} holds the redo's single-writer lock ({@link RedoWriterLock}) until
 * {@link #close()}, which flushes (with heartbeats) and closes every writer, which
 * marks the threads CLOSED. Single-threaded, like the simulator.
 */
public final class RedoLogSink implements RedoSink, AutoCloseable {
    private final TreeMap<Integer, RedoLogWriter> writers = new TreeMap<>();
    private final Predicate<String> selectedTable;
    private final Set<Xid> touchingSelected = new HashSet<>();
    private long lastSelectedCommitScn;
    private long lastScn;
    private long lastTs;
    /** The single-writer lock of the redo, when {@link #open} took it; released at {@link #close}. */
    private RedoWriterLock lock;

    /**
     * Opens one writer per redo thread (1..{@code threads}, each configured by {@code config}) and a sink over
     * them; if any writer fails to open, the ones already open are closed.
     */
    public static RedoLogSink open(int threads, IntFunction<RedoLogConfig> config, Clock clock, Predicate<String> selectedTable) {
        return open(RedoWriterLock.acquire(config.apply(1).redoDir()), threads, config, clock, selectedTable);
    }

    /** As {@link #open}, or null at once when another writer holds the redo ({@link RedoWriterLock}). */
    public static RedoLogSink tryOpen(int threads, IntFunction<RedoLogConfig> config, Clock clock, Predicate<String> selectedTable) {
        RedoWriterLock lock = RedoWriterLock.tryAcquire(config.apply(1).redoDir());
        return lock == null ? null : open(lock, threads, config, clock, selectedTable);
    }

    /** The writers are opened under {@code lock}, which the sink releases when it closes. */
    private static RedoLogSink open(RedoWriterLock lock, int threads, IntFunction<RedoLogConfig> config, Clock clock,
                                    Predicate<String> selectedTable) {
        List<RedoLogWriter> writers = new ArrayList<>();
        try {
            for (int t = 1; t <= threads; t++) writers.add(RedoLogWriter.open(config.apply(t), clock));
        } catch (RuntimeException e) {
            writers.forEach(RedoLogWriter::close);
            lock.close();
            throw e;
        }
        RedoLogSink sink = new RedoLogSink(writers, selectedTable);
        sink.lock = lock;
        return sink;
    }

    public RedoLogSink(RedoLogWriter writer, Predicate<String> selectedTable) {
        this(List.of(writer), selectedTable);
    }

    /** One writer per redo thread (distinct threads). */
    public RedoLogSink(List<RedoLogWriter> threadWriters, Predicate<String> selectedTable) {
        if (threadWriters.isEmpty()) throw new IllegalArgumentException("a redo sink needs at least one thread writer");
        for (RedoLogWriter w : threadWriters) {
            if (writers.put(w.config().thread(), w) != null) {
                throw new IllegalArgumentException("two writers for redo thread " + w.config().thread());
            }
            lastScn = Math.max(lastScn, w.lastScn().value());
        }
        this.selectedTable = selectedTable;
    }

    /** The configuration of the redo (directories, database name): thread 1's, which every thread shares but its number. */
    public RedoLogConfig config() {
        return writers.firstEntry().getValue().config();
    }

    /** Whether this sink writes redo thread {@code thread}. */
    public boolean writes(int thread) {
        return writers.containsKey(thread);
    }

    private RedoLogWriter writer(int thread) {
        RedoLogWriter w = writers.get(thread);
        if (w == null) {
            throw new IllegalArgumentException("redo thread " + thread + " has no writer (this sink writes threads " + writers.keySet() + ")");
        }
        return w;
    }

    @Override
    public RedoPosition append(int thread, RedoOp op, Xid xid, Scn scn, long tsMillis, boolean first, RowChange change) {
        if (scn.value() <= lastScn) {
            throw new IllegalArgumentException("SCN " + scn + " is not above the database's last SCN " + lastScn);
        }
        RedoPosition p = writer(thread).append(op, xid, scn, tsMillis, first, change);
        lastScn = scn.value();
        lastTs = tsMillis;
        if (change != null && selectedTable.test(change.table())) {
            touchingSelected.add(xid);
        } else if (op == RedoOp.COMMIT && touchingSelected.remove(xid)) {
            lastSelectedCommitScn = scn.value();
        } else if (op == RedoOp.ROLLBACK) {
            touchingSelected.remove(xid);
        }
        return p;
    }

    /** Heartbeats for threads behind the global SCN, then write and fsync every thread. */
    @Override
    public void flush() {
        if (writers.size() > 1) {
            for (RedoLogWriter w : writers.values()) w.heartbeat(Scn.of(lastScn), lastTs);
        }
        for (RedoLogWriter w : writers.values()) w.flush(true);
    }

    @Override
    public void switchLogFile(int thread) {
        writer(thread).switchLogFile();
    }

    /** The database's SCN: the highest SCN of any thread. */
    @Override
    public Scn lastScn() {
        return Scn.of(lastScn);
    }

    /** Redo threads this sink writes. */
    public Set<Integer> threads() {
        return writers.keySet();
    }

    /** CSN of the last committed transaction with a change to a selected table, 0 if none in this run. */
    public long lastSelectedCommitScn() {
        return lastSelectedCommitScn;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            flush();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (RedoLogWriter w : writers.values()) {
            try {
                w.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (failure != null) throw failure;
    }
}
