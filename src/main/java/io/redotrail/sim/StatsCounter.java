package io.redotrail.sim;

import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable counters behind {@link WorkloadStats}. Not thread-safe: owned by one generator run. */
final class StatsCounter {
    private final Map<String, long[]> perTable = new LinkedHashMap<>();
    private long committedTx, rolledBackTx, committedRows, rolledBackRows;

    StatsCounter(List<TableDef> tables) {
        tables.forEach(t -> perTable.put(t.name(), new long[5]));
    }

    void committed(List<RowChange> changes) {
        committedTx++;
        committedRows += changes.size();
        for (RowChange c : changes) {
            counters(c.table())[c.op().ordinal()]++; // ChangeOp order: INSERT, UPDATE, DELETE, PK_UPDATE
        }
    }

    void rolledBack(List<RowChange> changes) {
        rolledBackTx++;
        rolledBackRows += changes.size();
        for (RowChange c : changes) {
            counters(c.table())[4]++;
        }
    }

    private long[] counters(String table) {
        long[] c = perTable.get(table);
        if (c == null) throw new IllegalStateException("change on unknown table " + table);
        return c;
    }

    WorkloadStats toStats(Scn firstScn, Scn lastScn, long redoRecords, long elapsedNanos) {
        Map<String, WorkloadStats.TableStats> tables = new LinkedHashMap<>();
        perTable.forEach((t, c) -> tables.put(t, new WorkloadStats.TableStats(c[0], c[1], c[2], c[3], c[4])));
        return new WorkloadStats(committedTx, rolledBackTx, committedRows, rolledBackRows, tables, firstScn, lastScn,
                redoRecords, elapsedNanos);
    }
}
