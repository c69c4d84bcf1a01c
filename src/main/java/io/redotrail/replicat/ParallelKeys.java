package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.NameCache;
import io.redotrail.core.RowImage;
import io.redotrail.replicat.ChangeStatements.Stmt;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dependency keys of a source transaction for the parallel Replicat: two transactions that share a key
 * must be applied and committed in trail order. A statement's keys are, from its before and its after image
 * (an update leaving a column out of its after image keeps its before value):
 * <ul>
 * <li>the row's primary key (or KEYCOLS) values, and each unique key's values: so a PK update that moves a
 * row, or a unique value freed by one transaction and taken by the next, orders the two;</li>
 * <li>for each foreign key the table has (DatabaseMetaData.getImportedKeys), the referenced parent key's
 * values: a child insert waits for the parent's insert, a parent delete waits for the child's delete;</li>
 * <li>for a table without any key, the values of all its non-LOB columns (what the Replicat's WHERE clause
 * compares), so only changes of rows with equal values are ordered;</li>
 * <li>the whole table when an image does not name a key's values (for a keyless table: every non-LOB column).</li>
 * </ul>
 * Keys are named by table (upper case, unquoted {@code SCHEMA.TABLE}) and the sorted column names, so a
 * parent's key and a child's reference to it compare equal; values are normalised as in {@link BatchSet}.
 * <p>
 * Thread-safe for {@link #keys} once {@link #load} read the foreign keys of every table it will see: the caches
 * are concurrent maps of pure functions (MAP_PARALLELISM's mappers key transactions at once, see
 * {@link ParallelMappers}). {@link #load}, which queries the connection on a miss, is for the trail thread only.
 */
final class ParallelKeys {
    /** A foreign key of a child table: its columns and the parent table's referenced columns, in KEY_SEQ order. */
    private record Fk(List<String> childCols, String parent, List<String> parentCols) {
    }

    private final Connection conn;
    private final Map<String, List<Fk>> fks = new ConcurrentHashMap<>();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    /** KEYCOLS keys (a MAP's, per statement), sorted once per column list. */
    private final Map<List<String>, Key> overrides = new ConcurrentHashMap<>();

    ParallelKeys(Connection conn) {
        this.conn = conn;
    }

    /** Every key the statements of one transaction touch. */
    Set<KeyValues> keys(List<Stmt> stmts) throws SQLException {
        return keys(stmts, List.of());
    }

    /**
     * Every key the statements and the heartbeat records of one transaction touch: a heartbeat's key is its
     * GG_HEARTBEAT row (source database, redo thread, path), so one thread's heartbeats are recorded in trail order.
     */
    Set<KeyValues> keys(List<Stmt> stmts, List<HeartbeatTables.Received> heartbeats) throws SQLException {
        return keys(stmts, heartbeats, null);
    }

    /**
     * As {@link #keys(List, List)}, and into {@code rows} (when not null) each statement's keys of its own table's
     * rows, or null when it needs its whole table: the applier's {@link BatchSet} orders the statements by them
     * instead of computing the same keys again.
     */
    Set<KeyValues> keys(List<Stmt> stmts, List<HeartbeatTables.Received> heartbeats, List<List<KeyValues>> rows)
            throws SQLException {
        Set<KeyValues> out = new LinkedHashSet<>();
        for (Stmt s : stmts) {
            List<KeyValues> own = add(s, out);
            if (rows != null) rows.add(own);
        }
        for (HeartbeatTables.Received r : heartbeats) out.add(heartbeat(r));
        return out;
    }

    /** GG_HEARTBEAT's key, named as every key is (sorted columns), so a mapped change of the same row shares it. */
    private static final Sorted HEARTBEAT_KEY = sort(List.of(HeartbeatTables.KEY_COLUMNS.split(", ")));

    /** The key of the GG_HEARTBEAT row a heartbeat record updates. */
    static KeyValues heartbeat(HeartbeatTables.Received r) {
        Object[] inKeyOrder = {r.remoteDatabase(), (long) r.thread(), r.extract(), r.routingPath(), r.replicat()};
        Object[] values = new Object[inKeyOrder.length];
        for (int j = 0; j < values.length; j++) values[j] = BatchSet.normal(inKeyOrder[HEARTBEAT_KEY.from()[j]]);
        return new KeyValues(identity(io.redotrail.core.Heartbeat.TABLE), HEARTBEAT_KEY.names(), values);
    }

    /**
     * What {@link #add} needs of a table, worked out once per table (not per row: building the key lists and
     * looking up each key's sorted columns was a third of the trail thread's keying): its name in keys, its primary
     * and unique keys, its non-LOB columns (the key of a keyless table), its foreign keys. {@code t}: the metadata
     * it was made from (a refresh makes a new one).
     */
    private record Plan(TargetTables.Table t, String table, List<Key> keys, Key nonLob, List<Key> fks) {
    }

    /** Key columns as an image names them, the referenced table and its columns sorted (an FK's parent; else the same). */
    private record Key(List<String> cols, String keyTable, Sorted sorted) {
        boolean fk() {
            return keyTable != null;
        }
    }

    private Plan plan(TargetTables.Table t) throws SQLException {
        Plan p = plans.get(t.sqlName());
        if (p != null && p.t() == t) return p;
        List<Key> keys = new ArrayList<>();
        if (!t.primaryKey().isEmpty()) keys.add(key(t.primaryKey()));
        for (List<String> u : t.uniqueKeys()) keys.add(key(u));
        List<String> nonLob = nonLobColumns(t);
        List<Key> fks = new ArrayList<>();
        for (Fk fk : foreignKeys(t)) fks.add(new Key(fk.childCols(), fk.parent(), sort(fk.parentCols())));
        p = new Plan(t, identity(t.sqlName()), List.copyOf(keys), nonLob.isEmpty() ? null : key(nonLob), List.copyOf(fks));
        plans.put(t.sqlName(), p);
        return p;
    }

    private static Key key(List<String> cols) {
        return new Key(cols, null, sort(cols));
    }

    /** Adds the statement's keys; returns those of its own table's rows, or null when that is the whole table. */
    private List<KeyValues> add(Stmt s, Set<KeyValues> out) throws SQLException {
        TargetTables.Table t = s.shape().table;
        Plan plan = plan(t);
        String table = plan.table();
        ChangeOp op = s.shape().op;
        RowImage before = op == ChangeOp.INSERT ? null : s.change().before();
        RowImage after = op == ChangeOp.DELETE ? null : s.change().after();
        List<Key> keys = plan.keys();
        List<String> override = s.keyColsOverride();
        if (!override.isEmpty() && !override.equals(t.primaryKey())) {
            // KEYCOLS: the Replicat addresses rows by them, after the primary key
            keys = new ArrayList<>(keys);
            keys.add(t.primaryKey().isEmpty() ? 0 : 1, overrides.computeIfAbsent(override, ParallelKeys::key));
        }
        List<KeyValues> own = new ArrayList<>(2 * Math.max(1, keys.size()));
        if (keys.isEmpty()) {
            // no key: the Replicat addresses a row by the non-LOB columns of its before image, so two changes can
            // touch the same row only when those values are equal. With every non-LOB column named, they are the
            // key (an insert conflicts with a later update or delete of the same values, and two inserts of
            // different rows commute); an image naming fewer addresses more rows: the whole table
            if (plan.nonLob() == null || !key(table, plan.nonLob(), before, after, own)) own = null;
        }
        for (int k = 0; k < keys.size(); k++) {
            Key key = keys.get(k);
            // as in BatchSet: an update leaving a further key's columns out of its after image does not change them
            if (k > 0 && KeyValues.unchanged(t, key.cols(), before != null && after != null, after)) continue;
            if (!key(table, key, before, after, own)) {
                own = null;
                break; // the whole table; its parents' keys below still order it after their inserts
            }
        }
        if (own == null) out.add(KeyValues.wholeTable(table));
        else out.addAll(own);
        for (Key fk : plan.fks()) {
            // a child row with a NULL reference has no parent: key() skips images with NULLs only for FKs
            if (!key(fk.keyTable(), fk, before, after, out)) out.add(KeyValues.wholeTable(fk.keyTable()));
        }
        return own;
    }

    /**
     * Adds the key {@code keyTable(key's sorted columns)} with the values of the key's columns from each image;
     * false when an image lacks one of them (the caller then uses the whole table).
     */
    private static boolean key(String keyTable, Key key, RowImage before, RowImage after, Collection<KeyValues> out) {
        return image(keyTable, key.cols(), key.sorted(), key.fk(), before, null, out)
                && image(keyTable, key.cols(), key.sorted(), key.fk(), after, before, out);
    }

    /** The key's values from {@code img} (a column it lacks from {@code before}, for an after image); false when absent. */
    private static boolean image(String keyTable, List<String> cols, Sorted sorted, boolean fk, RowImage img, RowImage before,
                                 Collection<KeyValues> out) {
        if (img == null) return true;
        Object[] values = KeyValues.values(cols, sorted.from(), img, before);
        if (values == null) return false;
        // MATCH SIMPLE: a reference with a NULL column references nothing
        if (fk) for (Object v : values) if (v == null) return true;
        out.add(new KeyValues(keyTable, sorted.names(), values));
        return true;
    }

    /** A key's column names in sorted order (how keys are named) and, for each, its position in the key's own order. */
    private record Sorted(List<String> names, int[] from) {
    }

    private static Sorted sort(List<String> keyCols) {
        Integer[] order = new Integer[keyCols.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> keyCols.get(a).compareTo(keyCols.get(b)));
        String[] names = new String[order.length];
        int[] from = new int[order.length];
        for (int j = 0; j < order.length; j++) {
            from[j] = order[j];
            names[j] = keyCols.get(order[j]);
        }
        return new Sorted(List.of(names), from);
    }

    private static List<String> nonLobColumns(TargetTables.Table t) {
        List<String> out = new ArrayList<>();
        for (TargetTables.Column c : t.columns().values()) if (!c.lob()) out.add(c.name().toUpperCase(Locale.ROOT));
        return out;
    }

    /** Reads the table's foreign keys (once) on the caller's thread, the connection's: then {@link #keys} never queries it. */
    void load(TargetTables.Table t) throws SQLException {
        plan(t);
    }

    /** The table's foreign keys, read once from the target's metadata. */
    private List<Fk> foreignKeys(TargetTables.Table t) throws SQLException {
        if (!t.foreignKeys()) return List.of();
        List<Fk> cached = fks.get(t.sqlName());
        if (cached != null) return cached;
        String[] name = split(t.sqlName());
        DatabaseMetaData md = conn.getMetaData();
        Map<String, TreeMap<Integer, String[]>> byFk = new HashMap<>();
        Map<String, String> parentOf = new HashMap<>();
        try (ResultSet rs = md.getImportedKeys(null, name[0], name[1])) {
            while (rs.next()) {
                String parent = (rs.getString("PKTABLE_SCHEM") == null ? "" : rs.getString("PKTABLE_SCHEM") + ".")
                        + rs.getString("PKTABLE_NAME");
                String id = rs.getString("FK_NAME") + "\u0000" + parent;
                parentOf.put(id, identity(parent));
                byFk.computeIfAbsent(id, k -> new TreeMap<>()).put((int) rs.getShort("KEY_SEQ"), new String[]{
                        NameCache.canonical(rs.getString("FKCOLUMN_NAME").toUpperCase(Locale.ROOT)),
                        NameCache.canonical(rs.getString("PKCOLUMN_NAME").toUpperCase(Locale.ROOT))});
            }
        }
        List<Fk> out = new ArrayList<>();
        for (var e : byFk.entrySet()) {
            List<String> child = new ArrayList<>(), parent = new ArrayList<>();
            for (String[] cp : e.getValue().values()) {
                child.add(cp[0]);
                parent.add(cp[1]);
            }
            out.add(new Fk(List.copyOf(child), parentOf.get(e.getKey()), List.copyOf(parent)));
        }
        fks.put(t.sqlName(), List.copyOf(out));
        return fks.get(t.sqlName());
    }

    /** {@code "S"."T"} → {@code S.T} upper case: how a table is named in keys. */
    static String identity(String sqlName) {
        return sqlName.replace("\"", "").replace("`", "").toUpperCase(Locale.ROOT);
    }

    /** Schema (or null) and table of a quoted SQL name, as the database spells them. */
    private static String[] split(String sqlName) {
        String s = sqlName.replace("`", "\"");
        int dot = s.indexOf("\".\"");
        if (dot < 0) return new String[]{null, s.replace("\"", "")};
        return new String[]{s.substring(0, dot).replace("\"", ""), s.substring(dot + 3).replace("\"", "")};
    }
}
