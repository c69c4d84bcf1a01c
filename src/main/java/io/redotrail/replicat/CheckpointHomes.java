package io.redotrail.replicat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows an earlier version keyed by the group name alone ({@link GroupKey}): found where their CURRENT_DIR is this
 * home, and moved to the home's key. Stateless; every method takes the caller's connection and never commits.
 */
final class CheckpointHomes {
    private CheckpointHomes() {
    }

    static long rowKey(CheckpointTable t, Connection c, String group) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        long key = t.key(g);
        if (t.currentDir().isEmpty() || has(t, c, g, key)) return key;
        long earlier = CheckpointTable.groupKey(g);
        return rowsFrom(t, c, g, earlier).isEmpty() ? key : earlier;
    }

    /** See {@link CheckpointTable#adoptEarlierRows}. */
    static int adopt(CheckpointTable t, Connection c, String group) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        String here = t.currentDir();
        long key = t.key(g), earlier = CheckpointTable.groupKey(g);
        if (here.isEmpty() || has(t, c, g, key)) return 0;
        // a parallel run killed before its first low watermark left applier rows (and _LOX rows) but no group row
        List<Integer> rows = rowsFrom(t, c, g, earlier);
        if (rows.isEmpty()) return 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.name() + " SET GROUP_KEY = ?, CURRENT_DIR = ? "
                + "WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            for (int n : rows) {
                ps.setLong(1, key + n);
                ps.setString(2, here);
                ps.setString(3, g);
                ps.setLong(4, earlier + n);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.loxName() + " SET GROUP_KEY = ? WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            ps.setLong(1, key);
            ps.setString(2, g);
            ps.setLong(3, earlier);
            ps.executeUpdate();
        }
        return rows.size();
    }

    /**
     * GROUP_KEYs of rows of {@code group} written from this home (CURRENT_DIR) under a key that is neither its own
     * nor the name's alone: the home's identity was lost or replaced (or another host runs a home at the same path).
     */
    static java.util.Set<Long> foreignKeysHere(CheckpointTable t, Connection c, String group) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        long key = t.key(g), earlier = CheckpointTable.groupKey(g);
        java.util.Set<Long> out = new java.util.TreeSet<>();
        for (long k : keysFromHere(t, c, g)) {
            if (GroupKey.row(k, key) < 0 && GroupKey.row(k, earlier) < 0) out.add(k);
        }
        return out;
    }

    private static boolean has(CheckpointTable t, Connection c, String g, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + t.name() + " WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            ps.setString(1, g);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** This home's rows under {@code base}: 0 the group's, n applier n. */
    private static List<Integer> rowsFrom(CheckpointTable t, Connection c, String g, long base) throws SQLException {
        List<Integer> rows = new ArrayList<>();
        for (long k : keysFromHere(t, c, g)) {
            int n = GroupKey.row(k, base);
            if (n >= 0) rows.add(n);
        }
        return rows;
    }

    /**
     * GROUP_KEYs of the group's rows written from this home. CURRENT_DIR compares as {@link GroupKey#dirOf} resolves
     * it: an earlier version stored the home with its links unresolved.
     */
    private static List<Long> keysFromHere(CheckpointTable t, Connection c, String g) throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT GROUP_KEY, CURRENT_DIR FROM " + t.name() + " WHERE GROUP_NAME = ?")) {
            ps.setString(1, g);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (sameDir(rs.getString(2), t.currentDir())) keys.add(rs.getLong(1));
                }
            }
        }
        return keys;
    }

    private static boolean sameDir(String stored, String dir) {
        if (stored == null || stored.isEmpty()) return false;
        if (stored.equals(dir)) return true;
        try {
            return GroupKey.dirOf(Path.of(stored)).equals(dir);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
