package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.ChangeStatements.Stmt;

import java.util.List;
import java.util.Set;

/**
 * One source transaction of the parallel Replicat (or a SPLIT_TRANS_RECS piece of one): its statements (mapped), its
 * keys, its place in trail order, its applier, and what the {@link ParallelScheduler} keeps of its dependencies.
 * Guarded by the scheduler's lock once dispatched; {@code tx}, {@code piece}, {@code stmts}, {@code keys} ({@code keyArray}),
 * {@code rowKeys}, {@code heartbeats} and {@code resolved} never change after.
 */
final class ParallelUnit {
    final Transaction tx;
    /** The SPLIT_TRANS_RECS piece of its source transaction that {@code tx} holds, or null (the whole one). Set before dispatch. */
    TransactionPiece piece;
    final List<Stmt> stmts;
    final Set<KeyValues> keys;
    /** {@code keys} as an array: the scheduler walks them twice under its lock, and a set's iterator scans its table. */
    final KeyValues[] keyArray;
    /** Per entry of {@code keyArray}: its {@link KeyOwners.Slot} (null for a whole-table key). Set when dispatched. */
    KeyOwners.Slot[] slots;
    long ordinal;
    int applier = -1;
    boolean done;
    /** Its heartbeat records, taken out before MAP: written with it by its applier (GG_HEARTBEAT rows are in its keys). */
    final List<HeartbeatTables.Received> heartbeats;
    /** The in-flight transactions it depends on (pruned as they commit). */
    List<ParallelUnit> deps = List.of();
    /** Waiting transactions that depend on it: re-examined when it is assigned and when it commits. */
    List<ParallelUnit> dependents;
    boolean waiting;
    /** The applier whose queue was full when it was last examined ({@code appliers}: every queue), or -1. */
    int roomOn = -1;
    /**
     * Per change: its {@link OperationReplayer.Resolved} target and image, or the {@link ApplyError} resolving it
     * raised, for a replay ({@link ParallelReplay}); {@code unresolved} when a change has no statement in
     * {@code stmts} (it is decided by REPERROR in a replay, never applied by the fast path).
     */
    Object[] resolved;
    boolean unresolved;

    /**
     * Per statement, the keys of the rows it touches in its own table (null: its whole table), as {@link ParallelKeys}
     * found them: the applier's {@link BatchSet} orders by them. Null when not given: the set then finds its own.
     */
    final List<List<KeyValues>> rowKeys;

    ParallelUnit(Transaction tx, List<Stmt> stmts, Set<KeyValues> keys) {
        this(tx, stmts, keys, List.of(), null);
    }

    ParallelUnit(Transaction tx, List<Stmt> stmts, Set<KeyValues> keys, List<HeartbeatTables.Received> heartbeats,
                 List<List<KeyValues>> rowKeys) {
        if (rowKeys != null && rowKeys.size() != stmts.size()) {
            throw new IllegalArgumentException("row keys for " + rowKeys.size() + " of " + stmts.size() + " statements");
        }
        this.tx = tx;
        this.stmts = stmts;
        this.keys = keys;
        this.keyArray = keys.toArray(new KeyValues[0]);
        this.heartbeats = heartbeats;
        this.rowKeys = rowKeys;
    }

    /** Whether it completes its source transaction: a whole one, or its last piece (the low watermark may pass it then). */
    boolean endsTransaction() {
        return piece == null || piece.last();
    }

    /** Its weight in queues: its statements and its heartbeats (each writes GG_HEARTBEAT and its history). */
    int ops() {
        return stmts.size() + heartbeats.size();
    }
}
