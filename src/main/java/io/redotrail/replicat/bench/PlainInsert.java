package io.redotrail.replicat.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.redo.sim.SourceSchema;
import io.redotrail.redo.sim.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical limit that apply is compared with: the INSERTs of a set of transactions written with plain JDBC
 * batches (1,000 rows per table, a commit per 10,000 rows) into tables of the demo schema. Used by both
 * benchmarks (pipeline bench and replicat bench) so they measure the same thing.
 */
public final class PlainInsert {
    private PlainInsert() {
    }

    /** Inserts every INSERT's after image; returns seconds taken. The connection's auto-commit is turned off. */
    public static double run(Connection c, List<Transaction> txs) throws SQLException {
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
                if (++sinceCommit >= 10_000) {
                    for (PreparedStatement q : ps.values()) q.executeBatch();
                    pending.replaceAll((k, n) -> 0);
                    c.commit();
                    sinceCommit = 0;
                }
            }
        }
        for (PreparedStatement q : ps.values()) q.executeBatch();
        c.commit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (PreparedStatement q : ps.values()) q.close();
        return seconds;
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
