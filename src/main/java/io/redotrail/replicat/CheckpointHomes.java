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
 * Which rows of a checkpoint table are a home's ({@link GroupKey}): finding rows an earlier version keyed by the
 * group name alone, moving them (or a moved home's) to the home's key, and naming other homes' rows of a group.
 * Stateless; every method takes the caller's connection and never commits.
 */
final class CheckpointHomes {
    private CheckpointHomes() {
    }

    static long rowKey(CheckpointTable t, Connection c, String group) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        long key = t.key(g);
        if (t.currentDir().isEmpty() || has(t, c, g, key)) return key;
        long earlier = CheckpointTable.groupKey(g);
        return rowsFrom(t, c, g, earlier, t.currentDir()).contains(0) ? earlier : key;
    }

    static int adopt(CheckpointTable t, Connection c, String group, String previousHome) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        String here = t.currentDir();
        String from = previousHome == null ? here : GroupKey.dirOf(Path.of(previousHome));
        long key = t.key(g), earlier = previousHome == null ? CheckpointTable.groupKey(g) : GroupKey.of(g, from);
        if (here.isEmpty() || key == earlier || has(t, c, g, key)) return 0;
        List<Integer> rows = rowsFrom(t, c, g, earlier, from);
        if (!rows.contains(0)) return 0;
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

    static List<String> otherHomes(CheckpointTable t, Connection c, String group) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT CURRENT_DIR FROM " + t.name()
                + " WHERE GROUP_NAME = ? AND CURRENT_DIR <> ? ORDER BY CURRENT_DIR")) {
            ps.setString(1, group.toUpperCase(Locale.ROOT));
            ps.setString(2, t.currentDir());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
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

    /** Rows written from {@code dir} (CURRENT_DIR) under {@code base}: 0 the group's, n applier n. */
    private static List<Integer> rowsFrom(CheckpointTable t, Connection c, String g, long base, String dir) throws SQLException {
        List<Integer> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT GROUP_KEY FROM " + t.name() + " WHERE GROUP_NAME = ? AND CURRENT_DIR = ?")) {
            ps.setString(1, g);
            ps.setString(2, dir);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = GroupKey.row(rs.getLong(1), base);
                    if (n >= 0) rows.add(n);
                }
            }
        }
        return rows;
    }
}
