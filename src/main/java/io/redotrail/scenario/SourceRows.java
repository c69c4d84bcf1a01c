package io.redotrail.scenario;

import io.redotrail.sim.OpenTransaction;
import io.redotrail.sim.TableDef;
import io.redotrail.sim.TableModel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rows a {@link ScriptedSource} session sees: committed rows read from the source database (so keys compare
 * as SQL compares them), the row locks and private views of its open transactions (one {@link TableModel} per
 * table, holding no committed rows), and the next free key per table for generated rows. Uses the session's
 * reader connection without owning it (the session closes it). Not thread-safe.
 */
final class SourceRows {
    private final Connection reader;
    /** The script's name of an open transaction, for the messages that name a lock holder. */
    private final Function<OpenTransaction, String> nameOf;
    /** Row locks per table; committed rows come from the source database, not from these models. */
    private final Map<String, TableModel> models = new HashMap<>();
    private final Map<String, Long> nextKey = new HashMap<>();

    SourceRows(Connection reader, Function<OpenTransaction, String> nameOf) {
        this.reader = reader;
        this.nameOf = nameOf;
    }

    TableModel model(TableDef t) {
        return models.computeIfAbsent(t.name(), n -> new TableModel(t, List.of()));
    }

    /** Row lock for {@code tx}; a row another open transaction holds refuses the script (a session would wait). */
    void lock(OpenTransaction tx, TableDef t, List<Object> key) {
        OpenTransaction holder = model(t).lockHolder(key);
        if (holder != null && holder != tx) {
            String h = nameOf.apply(holder);
            throw new IllegalArgumentException("row " + key + " of " + t.name() + " is locked by open transaction " + h
                    + " (a session would wait; end " + h + " first)");
        }
    }

    boolean exists(OpenTransaction tx, TableDef t, List<Object> key) {
        TableModel m = model(t);
        if (tx.holds(m, key)) return tx.view(m, key) != null;
        OpenTransaction holder = m.lockHolder(key);
        if (holder != null && holder != tx) {
            throw new IllegalArgumentException("row " + key + " of " + t.name() + " is locked by open transaction " + nameOf.apply(holder));
        }
        return committed(t, key) != null;
    }

    /** The row as {@code tx} sees it: its own latest image, else the committed one; null when absent. */
    Object[] current(OpenTransaction tx, TableDef t, List<Object> key) {
        TableModel m = model(t);
        return tx.holds(m, key) ? tx.view(m, key) : committed(t, key);
    }

    private Object[] committed(TableDef t, List<Object> key) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < t.columnCount(); i++) sql.append(i > 0 ? ", " : "").append(t.column(i).name());
        sql.append(" FROM ").append(t.name()).append(" WHERE ");
        int[] k = t.keyIndexes();
        for (int i = 0; i < k.length; i++) sql.append(i > 0 ? " AND " : "").append(t.column(k[i]).name()).append(" = ?");
        try (PreparedStatement ps = reader.prepareStatement(sql.toString())) {
            for (int i = 0; i < k.length; i++) t.column(k[i]).type().bind(ps, i + 1, key.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                Object[] row = new Object[t.columnCount()];
                for (int i = 0; i < row.length; i++) row[i] = t.column(i).type().read(rs, i + 1);
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + t.name() + " key " + key + " from the source: " + e.getMessage(), e);
        }
    }

    /** The next free value of {@code t}'s last key column: the counter, else the source's largest plus one. */
    long nextKey(TableDef t) {
        Long n = nextKey.get(t.name());
        if (n != null) return n;
        String last = t.keyColumns().get(t.keyColumns().size() - 1);
        try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(" + last + ") FROM " + t.name())) {
            rs.next();
            long max = rs.getLong(1);
            return Math.max(1, max + 1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the largest key of " + t.name() + ": " + e.getMessage(), e);
        }
    }

    /** Keys below {@code next} are taken in {@code t} (the counter only moves up). */
    void keysTakenBelow(TableDef t, long next) {
        nextKey.merge(t.name(), next, Math::max);
    }

    /** Forgets the key counters: rows were inserted behind this view's back (the workload generator). */
    void forgetKeys() {
        nextKey.clear();
    }
}
