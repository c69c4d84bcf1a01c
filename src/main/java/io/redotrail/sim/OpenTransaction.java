package io.redotrail.sim;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A transaction the generator has begun and not yet ended: its planned size and outcome, its changes in
 * redo order, and its private view of the rows it touched (latest image per key, {@code null} = deleted by
 * it). Every key in that view is row-locked by this transaction. Also a scripted session's transaction
 * ({@code io.redotrail.scenario.ScriptedSource}): one model of a source session's locks, view and redo for both.
 * Not thread-safe: owned by one generator or one scripted source.
 */
public final class OpenTransaction {
    final int plannedOps;
    final boolean willRollback;
    /** The only table a single-table transaction touches, or null for a multi-table one. */
    final TableModel onlyTable;
    /** Redo thread (RAC instance) the transaction's session is connected to. */
    final int thread;
    /** Long-running: stays open after its last change until the generator finds it due. */
    final boolean longRunning;
    /** Clock time and number of commits so far when it began. */
    final long beganMillis;
    final long commitsBefore;
    private Xid xid;
    private final List<RowChange> changes = new ArrayList<>();
    private final Map<TableModel, Map<List<Object>, Object[]>> touched = new LinkedHashMap<>();
    /** Keys this transaction touched per table, indexable for random picks (may include deleted ones). */
    private final Map<TableModel, List<List<Object>>> touchedKeys = new LinkedHashMap<>();

    OpenTransaction(int plannedOps, boolean willRollback, TableModel onlyTable) {
        this(plannedOps, willRollback, onlyTable, 1, false, 0, 0);
    }

    /** A scripted session's transaction on redo thread {@code thread}: its size and outcome are the script's. */
    public OpenTransaction(int thread) {
        this(0, false, null, thread, false, 0, 0);
    }

    OpenTransaction(int plannedOps, boolean willRollback, TableModel onlyTable, int thread, boolean longRunning,
                    long beganMillis, long commitsBefore) {
        this.plannedOps = plannedOps;
        this.willRollback = willRollback;
        this.onlyTable = onlyTable;
        this.thread = thread;
        this.longRunning = longRunning;
        this.beganMillis = beganMillis;
        this.commitsBefore = commitsBefore;
    }

    public Xid xid() {
        return xid;
    }

    /** The XID is assigned with the first change, as Oracle assigns an undo slot on first DML. */
    void assignXid(Xid id) {
        if (xid != null) throw new IllegalStateException("transaction " + xid + " already has an XID");
        xid = id;
    }

    public List<RowChange> changes() {
        return changes;
    }

    int ops() {
        return changes.size();
    }

    boolean full() {
        return changes.size() >= plannedOps;
    }

    public boolean holds(TableModel table, List<Object> key) {
        Map<List<Object>, Object[]> m = touched.get(table);
        return m != null && m.containsKey(key);
    }

    /** The row as this transaction sees it: its own latest image if it touched the row, else the committed one. */
    public Object[] view(TableModel table, List<Object> key) {
        Map<List<Object>, Object[]> m = touched.get(table);
        if (m != null && m.containsKey(key)) return m.get(key);
        return table.committed(key);
    }

    /** Records this transaction's new image of a row (null = deleted), taking the row lock on first touch. */
    public void write(TableModel table, List<Object> key, Object[] row) {
        Map<List<Object>, Object[]> m = touched.computeIfAbsent(table, t -> new LinkedHashMap<>());
        if (!m.containsKey(key)) {
            table.lock(key, this);
            touchedKeys.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
        }
        m.put(key, row);
    }

    public void addChange(RowChange change) {
        changes.add(change);
    }

    /** Tables this transaction changed (holds row locks in). */
    public java.util.Set<String> tables() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        touched.keySet().forEach(t -> names.add(t.def.name()));
        return names;
    }

    /**
     * Writes one redo record of this transaction at {@code scn} (the next after the sink's last): the first one
     * assigns the XID, {@code usn.slot.sqn} with sqn = that SCN, unique because SCNs never repeat.
     */
    public RedoPosition emit(RedoSink sink, RedoOp type, Scn scn, long now, RowChange change) {
        boolean first = xid == null;
        if (first) assignXid(Xid.forFirstScn(scn.value()));
        return sink.append(thread, type, xid, scn, now, first, change);
    }

    /** A random key this transaction touched in {@code table} and that still exists for it, or null. */
    List<Object> randomOwnLiveKey(TableModel table, SplittableRandom rnd) {
        List<List<Object>> own = touchedKeys.get(table);
        if (own == null || own.isEmpty()) return null;
        List<Object> key = own.get(rnd.nextInt(own.size()));
        return view(table, key) != null ? key : null;
    }

    /** On commit: publishes the final images to the committed model. Releases all row locks. */
    public void commitInto() {
        touched.forEach((table, rows) -> rows.forEach((key, row) -> {
            table.commit(key, row);
            table.unlock(key, this);
        }));
    }

    /** On rollback: forgets the private images. Releases all row locks. */
    public void discard() {
        touched.forEach((table, rows) -> rows.keySet().forEach(key -> table.unlock(key, this)));
    }
}
