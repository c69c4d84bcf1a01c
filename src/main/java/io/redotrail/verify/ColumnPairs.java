package io.redotrail.verify;

import io.redotrail.replicat.TargetTables;
import io.redotrail.replicat.mapping.MapStatement;

import java.util.ArrayList;
import java.util.List;

/**
 * Which source column is compared with which target column, as the Replicat maps them: without a MAP statement
 * every source column with the target column of the same name; with one, COLMAP {@code target = source}
 * renames, and USEDEFAULTS (or no COLMAP) pairs every other source column with the same-named target column when
 * the target has one and no COLMAP item writes it. Constants and {@code @GETENV} columns have no source value and
 * are not compared. The key the rows are merged by is the source's primary key, in target terms; when the map
 * leaves a key column out (or the source has none), every compared non-LOB column.
 *
 * @param source     source column names (upper case), in source table order
 * @param target     the paired target column names
 * @param key        source names of the merge key columns
 * @param problem    why the tables cannot be compared (a COLMAP column the source or the target lacks), else null
 */
record ColumnPairs(List<String> source, List<String> target, List<String> key, String problem) {

    static ColumnPairs of(TargetTables.Table s, TargetTables.Table t, MapStatement map) {
        List<String> src = new ArrayList<>(), tgt = new ArrayList<>();
        if (map == null) {
            for (String c : s.columns().keySet()) {
                if (t.column(c) == null) return problem("target table lacks column " + c);
                src.add(c);
                tgt.add(c);
            }
        } else {
            for (MapStatement.ColMapEntry e : map.colMap()) {
                if (!(e.expr() instanceof MapStatement.Column c)) continue;
                if (s.column(c.name()) == null) {
                    // the Replicat refuses such a map: comparing without the pair would call unequal tables equal
                    return problem("source table lacks column " + c.name() + " (COLMAP of " + map.describe() + ")");
                }
                if (t.column(e.targetColumn()) == null) {
                    return problem("target table lacks column " + e.targetColumn() + " (COLMAP of " + map.describe() + ")");
                }
                src.add(c.name());
                tgt.add(e.targetColumn());
            }
            if (map.useDefaults()) {
                for (String c : s.columns().keySet()) {
                    if (tgt.contains(c) || t.column(c) == null || written(map, c)) continue;
                    src.add(c);
                    tgt.add(c);
                }
            }
            if (src.isEmpty()) return problem("the MAP statement pairs no source column with a target column: " + map.describe());
        }
        List<String> key = new ArrayList<>(s.primaryKey());
        if (key.isEmpty() || !src.containsAll(key)) {
            key.clear();
            for (String c : src) if (!s.column(c).lob()) key.add(c);
        }
        return new ColumnPairs(src, tgt, key, null);
    }

    private static ColumnPairs problem(String why) {
        return new ColumnPairs(List.of(), List.of(), List.of(), why);
    }

    private static boolean written(MapStatement map, String targetColumn) {
        return map.colMap().stream().anyMatch(e -> e.targetColumn().equals(targetColumn));
    }

    /** The target names of the key columns, in key order. */
    List<String> targetKey() {
        return key.stream().map(k -> target.get(source.indexOf(k))).toList();
    }
}
