package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical limit that apply is compared with: an operation stream (inserts, updates, deletes by key, key
 * updates) written with plain JDBC into tables of the demo schema — no trail, no checkpoint table, no mapping,
 * no error handling beyond failing. The plain insert of {@code bench replicat} is the same thing on a stream of
 * inserts only.
 * <p>
 * Operations are gathered up to a commit ({@link Commits}); then run as JDBC batches of one <em>shape</em> (table
 * and operation), up to {@value #BATCH} statements each, in dependency-safe order: each operation gets the lowest
 * <em>level</em> after every earlier operation of the group on the same row (the row's key before and after the
 * operation, see {@link #rowKeys}), sharing that operation's level when the shape is the same (it is appended
 * behind it in the same batch, and a batch runs in order). Levels run one after the other; within a level
 * batches touch different rows, so their order is free. The demo schema declares no foreign keys, so rows of
 * different keys never depend on each other. The result equals applying the stream in order. Every UPDATE and
 * DELETE must change exactly one row, or the apply fails naming it.
 * <p>
 * Keyed tables are addressed by their primary key; a keyless one ({@code AUDIT_LOG}) by all the columns of the
 * before image, as a Replicat must, and in the Replicat's form: {@code = ?} per column, {@code IS NULL} for a NULL
 * (a statement per NULL pattern), which the index on the row-id column serves — {@code IS NOT DISTINCT FROM}
 * made PostgreSQL scan the table for every such update and delete. Its rows are partitioned and ordered by the
 * generator's row-id column, which no operation changes. Connections come from {@link BenchTarget#connect}, with
 * the Replicat's driver options. Not thread-safe: one instance per connection.
 */
public final class PlainApply {
    /** Statements per JDBC batch. */
    public static final int BATCH = 1000;
    /** The fastest commit policy for a stream of inserts: a commit per 10,000 operations wherever that falls. */
    public static final Commits FASTEST = new Commits(10_000, false);

    /**
     * When to commit: after every {@code ops} operations, or — {@code wholeTransactions} — after the whole source
     * transaction that brings the operations since the last commit to {@code ops} or more (the last may be smaller).
     */
    public record Commits(int ops, boolean wholeTransactions) {
        public Commits {
            if (ops < 1) throw new IllegalArgumentException("operations per commit below 1: " + ops);
        }

        /** As often as the Replicat with GROUPTRANSOPS {@code n}: whole source transactions, at least n operations each. */
        public static Commits asReplicat(int groupTransOps) {
            return new Commits(groupTransOps, true);
        }
    }

    /** A row: its table and the values of its key columns (the row-id column for a keyless table). */
    record RowKey(String table, List<Object> key) {
        // written out, as the Replicat's KeyValues: a record's generated equals and hashCode go through method
        // handles, which cost the limit a few percent of its own thread (found in a profile) and so flattered the ratios
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && table.equals(k.table) && key.equals(k.key);
        }

        @Override
        public int hashCode() {
            return 31 * table.hashCode() + key.hashCode();
        }
    }

    /** One statement: table, operation and, for a keyless table, the NULL columns of the address. */
    private record Shape(String table, ChangeOp op, long nulls) {
    }

    private record Mark(int level, Shape shape) {
    }

    private final Connection c;
    private final Map<Shape, PreparedStatement> statements = new HashMap<>();
    private final Map<RowKey, Mark> marks = new HashMap<>();
    private final List<LinkedHashMap<Shape, List<RowChange>>> levels = new ArrayList<>();
    private int commits;

    private PlainApply(Connection c) {
        this.c = c;
    }

    /** Applies {@code txs} in order, committing as {@code commits} says; returns seconds taken. Turns auto-commit off. */
    public static double run(Connection c, List<Transaction> txs, Commits commits) throws SQLException {
        return apply(c, txs, commits).seconds;
    }

    /** What one apply did: seconds taken, CPU-seconds of the applying thread, commits made. */
    record Done(double seconds, double cpuSeconds, int commits) {
    }

    static Done apply(Connection c, List<Transaction> txs, Commits commits) throws SQLException {
        c.setAutoCommit(false);
        PlainApply a = new PlainApply(c);
        try {
            long t0 = System.nanoTime();
            long cpu0 = io.redotrail.core.ThreadCpu.now();
            int pending = 0;
            for (Transaction tx : txs) {
                for (RowChange ch : tx.changes()) {
                    a.add(ch);
                    if (++pending >= commits.ops() && !commits.wholeTransactions()) {
                        a.commit();
                        pending = 0;
                    }
                }
                if (commits.wholeTransactions() && pending >= commits.ops()) {
                    a.commit();
                    pending = 0;
                }
            }
            if (pending > 0) a.commit();
            return new Done((System.nanoTime() - t0) / 1e9, (io.redotrail.core.ThreadCpu.now() - cpu0) / 1e9, a.commits);
        } finally {
            for (PreparedStatement p : a.statements.values()) p.close();
        }
    }

    private void add(RowChange ch) {
        Shape shape = new Shape(ch.table(), ch.op(), SourceSchema.demo().table(ch.table()).nullColumns(ch));
        List<RowKey> keys = rowKeys(ch);
        int level = 0;
        for (RowKey k : keys) {
            Mark m = marks.get(k);
            if (m != null) level = Math.max(level, m.shape().equals(shape) ? m.level() : m.level() + 1);
        }
        Mark mark = new Mark(level, shape);
        for (RowKey k : keys) marks.put(k, mark);
        while (levels.size() <= level) levels.add(new LinkedHashMap<>());
        levels.get(level).computeIfAbsent(shape, s -> new ArrayList<>()).add(ch);
    }

    private void commit() throws SQLException {
        for (LinkedHashMap<Shape, List<RowChange>> level : levels) {
            for (Map.Entry<Shape, List<RowChange>> e : level.entrySet()) {
                PreparedStatement ps = statement(e.getKey());
                TableDef def = SourceSchema.demo().table(e.getKey().table());
                List<RowChange> all = e.getValue();
                for (int from = 0; from < all.size(); from += BATCH) {
                    int to = Math.min(all.size(), from + BATCH);
                    for (int i = from; i < to; i++) {
                        def.bind(ps, all.get(i), true);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    if (e.getKey().op() != ChangeOp.INSERT) check(counts, all.subList(from, to));
                }
            }
        }
        levels.clear();
        marks.clear();
        c.commit();
        commits++;
    }

    private static void check(int[] counts, List<RowChange> batch) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 1 && counts[i] != Statement.SUCCESS_NO_INFO) {
                RowChange ch = batch.get(i);
                throw new IllegalStateException("plain apply: " + ch.op() + " on " + ch.table() + " changed " + counts[i]
                        + " rows instead of 1: " + ch.before());
            }
        }
    }

    /**
     * The rows an operation touches: its key in the before image (update, delete) and in the after image
     * (insert, update), once when they are equal.
     */
    static List<RowKey> rowKeys(RowChange ch) {
        TableDef def = SourceSchema.demo().table(ch.table());
        RowKey before = ch.before() == null ? null : keyOf(def, ch.before());
        RowKey after = ch.after() == null ? null : keyOf(def, ch.after());
        if (before == null) return List.of(after);
        if (after == null || after.equals(before)) return List.of(before);
        return List.of(before, after);
    }

    private static RowKey keyOf(TableDef def, RowImage image) {
        Object[] v = new Object[def.keyColumns().size()];
        for (int i = 0; i < v.length; i++) {
            String col = def.keyColumns().get(i);
            int at = image.indexOf(col);
            if (at < 0) throw new IllegalArgumentException("image of " + def.name() + " lacks key column " + col + ": " + image);
            v[i] = image.value(at);
        }
        return new RowKey(def.name(), Arrays.asList(v));
    }

    private PreparedStatement statement(Shape s) throws SQLException {
        PreparedStatement ps = statements.get(s);
        if (ps == null) {
            // images are full rows, as the demo workload writes them: the source's own statements fit
            ps = c.prepareStatement(SourceSchema.demo().table(s.table()).dmlStatement(s.op(), s.nulls()));
            statements.put(s, ps);
        }
        return ps;
    }
}
