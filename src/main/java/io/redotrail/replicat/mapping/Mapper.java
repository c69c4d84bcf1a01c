package io.redotrail.replicat.mapping;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Resolves source tables to MAP statements and rewrites row changes into target terms. Without statements it
 * is the identity (every table maps to the same name, images unchanged). With statements, a source table is
 * mapped by the first statement naming it exactly, else by the first wildcard statement matching it; no match
 * means unmapped ({@link #resolve} returns null).
 * <p>
 * Images: COLMAP {@code target = source} renames; USEDEFAULTS (or no COLMAP) maps every other source column to
 * the target column of the same name when the target has one (others are dropped, as in GoldenGate);
 * constants and {@code @GETENV} tokens are added to after images (INSERT, UPDATE) only; before images (the key
 * lookup) carry only column mappings. {@link #resolve} is not thread-safe (its cache); {@link #map} is (it reads
 * only the immutable statements).
 */
public final class Mapper {
    private final List<MapStatement> statements;
    private final Map<String, Resolved> cache = new HashMap<>();

    /**
     * A source table's mapping: the statement (null = identity), the target OWNER.TABLE, and the target columns the
     * statement's COLMAP fills with a constant or token (see the constructor).
     */
    public record Resolved(MapStatement statement, String target, java.util.Set<String> derived) {
        /**
         * {@code derived}: the target columns (upper case) the statement's COLMAP fills with a constant or an
         * {@code @GETENV} token: what the mapping chose to write there, e.g. a commit timestamp into a DATE, is not
         * checked for rounding. The statement's own: another MAP into the same target table that maps the column from
         * a source column is checked.
         */
        public Resolved {
            derived = java.util.Set.copyOf(derived);
        }

        Resolved(MapStatement statement, String target) {
            this(statement, target, derivedOf(statement));
        }

        private static java.util.Set<String> derivedOf(MapStatement s) {
            if (s == null) return java.util.Set.of();
            java.util.Set<String> out = new java.util.HashSet<>();
            for (MapStatement.ColMapEntry e : s.colMap()) if (!(e.expr() instanceof MapStatement.Column)) out.add(e.targetColumn());
            return out;
        }

        public boolean identity() {
            return statement == null;
        }

        /** KEYCOLS of the statement (upper-case target column names), empty = the target's primary key. */
        public List<String> keyCols() {
            return statement == null ? List.of() : statement.keyCols();
        }
    }


    public Mapper(List<MapStatement> statements) {
        this.statements = List.copyOf(statements);
        refuseSameSourceTwice(this.statements);
    }

    /**
     * Two statements for one source table (the same table, an owner-less name counting for every owner, or the same
     * wildcard pattern): GoldenGate applies both (one source row into two targets), this Replicat maps a source table
     * to one target and would ignore the second without a word; refused, naming both. A specific statement and a
     * wildcard one matching the same table are the usual exception: the specific one wins.
     */
    private static void refuseSameSourceTwice(List<MapStatement> statements) {
        for (int j = 1; j < statements.size(); j++) {
            MapStatement s = statements.get(j);
            for (int i = 0; i < j; i++) {
                MapStatement first = statements.get(i);
                if (first.sourceIsWildcard() != s.sourceIsWildcard() || !sameSource(first, s)) continue;
                String owner = s.sourceOwner() != null ? s.sourceOwner() : first.sourceOwner();
                throw new MapSyntaxException("map: statements " + first.number() + " (" + first.text() + ") and " + s.number()
                        + " (" + s.text() + ") both map source table " + (owner == null ? "" : owner + ".") + s.sourceTable()
                        + ": a source table is applied to one target here; keep one of them (GoldenGate would apply both)");
            }
        }
    }

    public static Mapper parse(String text) {
        return new Mapper(MapParser.parse(text));
    }

    private static boolean sameSource(MapStatement a, MapStatement b) {
        if (!a.sourceTable().equals(b.sourceTable())) return false;
        if (a.sourceIsWildcard()) return java.util.Objects.equals(a.sourceOwner(), b.sourceOwner());
        return a.sourceOwner() == null || b.sourceOwner() == null || a.sourceOwner().equals(b.sourceOwner());
    }

    public List<MapStatement> statements() {
        return statements;
    }

    public boolean isIdentity() {
        return statements.isEmpty();
    }

    /** The mapping of source {@code OWNER.TABLE}, or null when no statement maps it. */
    public Resolved resolve(String sourceTable) {
        if (statements.isEmpty()) return new Resolved(null, sourceTable);
        Resolved r = cache.get(sourceTable);
        if (r != null || cache.containsKey(sourceTable)) return r;
        int dot = sourceTable.indexOf('.');
        String owner = dot < 0 ? null : sourceTable.substring(0, dot);
        String table = dot < 0 ? sourceTable : sourceTable.substring(dot + 1);
        MapStatement hit = null;
        for (MapStatement s : statements) {
            if (!s.sourceIsWildcard() && s.matches(owner, table)) {
                hit = s;
                break;
            }
        }
        if (hit == null) {
            for (MapStatement s : statements) {
                if (s.sourceIsWildcard() && s.matches(owner, table)) {
                    hit = s;
                    break;
                }
            }
        }
        r = hit == null ? null : new Resolved(hit, hit.targetFor(owner, table));
        cache.put(sourceTable, r);
        return r;
    }

    /**
     * The change in target terms. {@code targetHas} tells whether the target table has an (upper-case) column;
     * used by USEDEFAULTS. Identity mappings return {@code ch} itself.
     */
    public RowChange map(Transaction tx, RowChange ch, Resolved r, Predicate<String> targetHas) {
        if (r.identity()) return ch;
        MapStatement s = r.statement();
        RowImage before = ch.before() == null ? null : image(tx, ch, ch.before(), s, targetHas, false);
        RowImage after = ch.after() == null ? null : image(tx, ch, ch.after(), s, targetHas, true);
        return new RowChange(r.target(), ch.op(), before, after);
    }

    private static RowImage image(Transaction tx, RowChange ch, RowImage img, MapStatement s, Predicate<String> targetHas,
                                  boolean after) {
        List<String> cols = new ArrayList<>(img.size() + s.colMap().size());
        List<Object> vals = new ArrayList<>(img.size() + s.colMap().size());
        for (MapStatement.ColMapEntry e : s.colMap()) {
            if (e.expr() instanceof MapStatement.Column c) {
                int i = img.indexOf(c.name());
                if (i >= 0) {
                    cols.add(e.targetColumn());
                    vals.add(img.value(i));
                }
            } else if (after) {
                cols.add(e.targetColumn());
                vals.add(e.expr() instanceof MapStatement.Constant k ? k.value() : token(((MapStatement.Token) e.expr()).kind(), tx, ch));
            }
        }
        if (s.useDefaults()) {
            for (int i = 0; i < img.size(); i++) {
                String c = img.column(i);
                if (cols.contains(c) || !targetHas.test(c)) continue;
                if (explicitTarget(s, c)) continue;
                cols.add(c);
                vals.add(img.value(i));
            }
        }
        return new RowImage(cols.toArray(String[]::new), vals.toArray());
    }

    private static boolean explicitTarget(MapStatement s, String col) {
        for (MapStatement.ColMapEntry e : s.colMap()) {
            if (e.targetColumn().equals(col)) return true;
        }
        return false;
    }

    /** The value of an @GETENV token for one operation. */
    public static Object token(MapStatement.Kind k, Transaction tx, RowChange ch) {
        return switch (k) {
            case CSN -> tx.csn().value();
            case XID -> tx.xid().toString();
            case COMMIT_TIMESTAMP -> LocalDateTime.ofInstant(Instant.ofEpochMilli(tx.commitTimestampMillis()), ZoneOffset.UTC);
            case OPTYPE -> switch (ch.op()) {
                case INSERT -> "INSERT";
                case UPDATE -> "SQL COMPUPDATE";
                case PK_UPDATE -> "PK UPDATE";
                case DELETE -> "DELETE";
            };
            case TABLENAME -> ch.table();
        };
    }

    /** Target column names a statement explicitly writes (COLMAP left sides) and KEYCOLS, for validation. */
    public static List<String> namedTargetColumns(MapStatement s) {
        List<String> out = new ArrayList<>();
        for (MapStatement.ColMapEntry e : s.colMap()) out.add(e.targetColumn());
        for (String k : s.keyCols()) if (!out.contains(k)) out.add(k);
        return out;
    }
}
