package io.redotrail.replicat;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.mapping.MapStatement;
import io.redotrail.replicat.mapping.Mapper;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Source table to target table, for one open connection: the MAP statements ({@link Mapper}) resolved against
 * the target's metadata ({@link TargetTables}) and cached per source table, and the start-up check of every
 * MAP statement against the target database.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}, except {@link #map}, which reads only
 * the immutable {@link Target} and Mapper's statements (the parallel Replicat's mappers call it, {@link ParallelMappers}).
 */
final class TargetResolver {

    /** A source table's resolved target: mapping, target metadata, KEYCOLS. */
    record Target(Mapper.Resolved resolved, TargetTables.Table table) {
        List<String> keyCols() {
            return resolved.keyCols();
        }

        /** The columns the mapping's COLMAP fills with a constant or token ({@link Mapper.Resolved#derived}). */
        java.util.Set<String> derived() {
            return resolved.derived();
        }

        /** The NOTFOUND error of an update or delete that touched no row. */
        ApplyError notFound(String group, ChangeApplier applier, Transaction tx, RowChange m) {
            return new ApplyError("NOTFOUND", group + ": " + applier.describe(tx, m, table, keyCols()) + " found no row"
                    + ChangeStatements.where(tx), null, applier.lastSql());
        }
    }

    private final ReplicatApplier cfg;
    private final Connection conn;
    private final Mapper mapper;
    private final TargetTables targetTables = new TargetTables();
    private final Map<String, Target> targets = new HashMap<>();

    TargetResolver(ReplicatApplier cfg, Connection conn, Mapper mapper) {
        this.cfg = cfg;
        this.conn = conn;
        this.mapper = mapper;
    }

    Mapper mapper() {
        return mapper;
    }

    /** The change mapped to its target (COLMAP etc.), keeping only columns the target table has. Thread-safe. */
    RowChange map(Transaction tx, RowChange ch, Target tg) {
        return mapper.map(tx, ch, tg.resolved(), c -> tg.table().column(c) != null);
    }

    /** Whether {@link #target} knows the source table's target without asking the database. */
    boolean resolved(String sourceTable) {
        return targets.containsKey(sourceTable);
    }

    /** The target of a source table (cached): UNMAPPED when no MAP statement covers it, NOTABLE when it is missing. */
    Target target(Transaction tx, RowChange ch) throws SQLException {
        Target tg = targets.get(ch.table());
        if (tg != null) return tg;
        String group = cfg.getGroup();
        Mapper.Resolved r = mapper.resolve(ch.table());
        if (r == null) {
            throw new ApplyError("UNMAPPED", group + ": source table " + ch.table() + " is not mapped by any MAP statement"
                    + ChangeStatements.where(tx), null, null);
        }
        TargetTables.Table t = targetTables.lookup(conn, r.target());
        if (t == null) {
            throw new ApplyError("NOTABLE", group + ": target table " + r.target() + " does not exist"
                    + (r.identity() ? "" : " (mapped from " + ch.table() + " by " + r.statement().describe() + ")")
                    + ChangeStatements.where(tx), null, null);
        }
        for (String k : r.keyCols()) {
            if (t.column(k) == null) {
                throw new ApplyError("MAPPING", group + ": KEYCOLS column " + k + " is not in target table " + r.target()
                        + ChangeStatements.where(tx), null, null);
            }
        }
        if (!r.identity()) requireColMapSources(group, tx, ch, r.statement());
        warnUnappliedColumns(group, tx, ch, r, t);
        tg = new Target(r, t);
        targets.put(ch.table(), tg);
        return tg;
    }

    /**
     * Every source column a COLMAP names must be one of the source table's: a misspelled one would map to nothing and
     * leave its target column NULL without a word. Checked once per source table, on its first row, whose image
     * lists every column (the sources write whole row images).
     */
    private static void requireColMapSources(String group, Transaction tx, RowChange ch, MapStatement s) {
        RowImage img = ch.after() != null ? ch.after() : ch.before();
        if (img == null) return;
        for (MapStatement.ColMapEntry e : s.colMap()) {
            // an update's after image may leave unchanged columns out: a column in neither image is none of the table's
            if (e.expr() instanceof MapStatement.Column c && img.indexOf(c.name()) < 0
                    && (ch.before() == null || ch.before().indexOf(c.name()) < 0)) {
                throw new ApplyError("MAPPING", group + ": COLMAP source column " + c.name() + " (for target column "
                        + e.targetColumn() + ") of " + s.describe() + " is not a column of source table " + ch.table()
                        + " (its rows carry " + String.join(", ", img.columns()) + ")" + ChangeStatements.where(tx), null, null);
            }
        }
    }

    /**
     * Source columns the mapping takes by name (identity, or COLMAP with USEDEFAULTS) that the target table lacks
     * are left out of every statement; said once per source table in the report (RTR-01330), on its first row, so a
     * column dropped from the target or a misnamed one does not lose its values without a word. COLMAP without
     * USEDEFAULTS chooses its columns: nothing to say.
     */
    private void warnUnappliedColumns(String group, Transaction tx, RowChange ch, Mapper.Resolved r, TargetTables.Table t) {
        RowImage img = ch.after() != null ? ch.after() : ch.before();
        if (img == null || (!r.identity() && !r.statement().useDefaults())) return;
        List<String> lost = new ArrayList<>();
        for (String c : img.columns()) {
            if (t.column(c) != null) continue;
            if (!r.identity() && r.statement().colMap().stream().anyMatch(e -> e.expr() instanceof MapStatement.Column m
                    && m.name().equals(c))) continue;
            lost.add(c);
        }
        if (lost.isEmpty()) return;
        String msg = group + ": source table " + ch.table() + " has column(s) " + String.join(", ", lost) + " that target table "
                + r.target() + " lacks: their values are not applied (add the column(s) to the target, or map them with"
                + " COLMAP)" + ChangeStatements.where(tx);
        if (!cfg.firstWarning("RTR-01330 " + ch.table())) return; // one per Replicat, not per session or applier
        org.slf4j.LoggerFactory.getLogger(TargetResolver.class).warn(msg);
        if (cfg.runtimeIfBound() != null) cfg.runtime().report().warning("RTR-01330", msg);
    }

    /**
     * Checks every MAP statement against the target's metadata: a named target table must exist with every
     * COLMAP and KEYCOLS column; a wildcard target schema must hold at least one table. All problems are
     * reported at once.
     */
    void validateMappings(String safeUrl) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (MapStatement s : mapper.statements()) {
            if (!s.sourceIsWildcard() || !s.targetIsWildcard()) {
                String target = s.sourceIsWildcard() ? s.targetFor(null, s.targetTable()) : s.targetFor(s.sourceOwner(), s.sourceTable());
                TargetTables.Table t = targetTables.lookup(conn, target);
                if (t == null) {
                    problems.add(s.describe() + ": target table " + target + " does not exist");
                    continue;
                }
                for (String c : Mapper.namedTargetColumns(s)) {
                    if (t.column(c) == null) problems.add(s.describe() + ": target table " + target + " has no column " + c);
                }
            } else if (s.targetOwner() != null && !"*".equals(s.targetOwner()) && !schemaHasTables(s.targetOwner())) {
                problems.add(s.describe() + ": target schema " + s.targetOwner() + " has no tables");
            }
        }
        if (!problems.isEmpty()) {
            throw new ReplicatException(cfg.getGroup() + ": mapping does not match target database " + safeUrl + ": "
                    + String.join("; ", problems));
        }
    }

    private boolean schemaHasTables(String owner) throws SQLException {
        var md = conn.getMetaData();
        for (String o : List.of(owner, owner.toUpperCase(Locale.ROOT), owner.toLowerCase(Locale.ROOT))) {
            try (ResultSet rs = md.getTables(null, o, "%", new String[]{"TABLE", "BASE TABLE"})) {
                if (rs.next()) return true;
            }
        }
        return false;
    }

    /** The target table a source table was mapped to (STATS "Replicating from S to T"), or null when not resolved. */
    String targetName(String source) {
        Target tg = targets.get(source);
        return tg == null ? null : tg.resolved().target();
    }

    /** Drops the cached targets (the connection is closing). */
    void clear() {
        targets.clear();
    }
}
