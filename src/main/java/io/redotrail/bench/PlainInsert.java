package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical limit that apply is compared with: the INSERTs of a set of transactions written with plain JDBC
 * batches (1,000 rows per table) into tables of the demo schema, committing as {@link Commits} says — by
 * default once per 10,000 rows (the fastest form). Used by both benchmarks (pipeline bench and replicat bench)
 * so they measure the same thing; the replicat bench also commits as often as the Replicat does, so that the
 * ratio of the two rates compares the same rows and the same number of commits.
 */
public final class PlainInsert {
    /** The fastest form: 1,000-row batches, a commit per 10,000 rows wherever that falls. */
    public static final Commits FASTEST = new Commits(10_000, false);

    private PlainInsert() {
    }

    /**
     * When to commit: after every {@code rows} inserted rows, or — {@code wholeTransactions} — after the whole
     * source transaction that brings the rows since the last commit to {@code rows} or more.
     */
    public record Commits(int rows, boolean wholeTransactions) {
        public Commits {
            if (rows < 1) throw new IllegalArgumentException("rows per commit below 1: " + rows);
        }

        /**
         * As often as the Replicat with GROUPTRANSOPS {@code n} on a trail of inserts only: whole source
         * transactions, at least n rows per target transaction (the last one may be smaller).
         */
        public static Commits asReplicat(int groupTransOps) {
            return new Commits(groupTransOps, true);
        }
    }

    /** Inserts every INSERT's after image, a commit per 10,000 rows; returns seconds taken. Turns auto-commit off. */
    public static double run(Connection c, List<Transaction> txs) throws SQLException {
        return run(c, txs, FASTEST);
    }

    /** Inserts every INSERT's after image, committing as {@code commits} says; returns seconds taken. Turns auto-commit off. */
    public static double run(Connection c, List<Transaction> txs, Commits commits) throws SQLException {
        c.setAutoCommit(false);
        Map<String, PreparedStatement> ps = new HashMap<>();
        Map<String, Integer> pending = new HashMap<>();
        long t0 = System.nanoTime();
        int sinceCommit = 0;
        for (Transaction tx : txs) {
            for (RowChange ch : tx.changes()) {
                if (ch.op() != ChangeOp.INSERT) continue;
                TableDef def = SourceSchema.demo().table(ch.table());
                PreparedStatement p = ps.computeIfAbsent(ch.table(), k -> prepare(c, def));
                for (int j = 0; j < def.columnCount(); j++) {
                    Object o = ch.after().get(def.column(j).name());
                    p.setObject(j + 1, o instanceof LocalDate d ? java.sql.Date.valueOf(d) : o);
                }
                p.addBatch();
                if (pending.merge(ch.table(), 1, Integer::sum) >= 1000) {
                    p.executeBatch();
                    pending.put(ch.table(), 0);
                }
                if (++sinceCommit >= commits.rows() && !commits.wholeTransactions()) {
                    commit(c, ps, pending);
                    sinceCommit = 0;
                }
            }
            if (commits.wholeTransactions() && sinceCommit >= commits.rows()) {
                commit(c, ps, pending);
                sinceCommit = 0;
            }
        }
        if (sinceCommit > 0) commit(c, ps, pending);
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (PreparedStatement q : ps.values()) q.close();
        return seconds;
    }

    private static void commit(Connection c, Map<String, PreparedStatement> ps, Map<String, Integer> pending) throws SQLException {
        for (Map.Entry<String, Integer> e : pending.entrySet()) {
            if (e.getValue() > 0) ps.get(e.getKey()).executeBatch();
        }
        pending.replaceAll((k, n) -> 0);
        c.commit();
    }

    private static PreparedStatement prepare(Connection c, TableDef t) {
        StringBuilder cols = new StringBuilder(), marks = new StringBuilder();
        for (int i = 0; i < t.columnCount(); i++) {
            cols.append(i > 0 ? "," : "").append(t.column(i).name());
            marks.append(i > 0 ? ",?" : "?");
        }
        try {
            return c.prepareStatement("INSERT INTO " + t.name() + " (" + cols + ") VALUES (" + marks + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the plain insert into " + t.name() + ": " + e.getMessage(), e);
        }
    }
}
