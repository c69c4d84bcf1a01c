package io.redotrail.replicat;

import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * GoldenGate's database checkpoint table ({@code ADD CHECKPOINTTABLE owner.table}) and its companion
 * {@code <table>_LOX} transaction table, with GoldenGate's column names. One row per Replicat group, keyed by
 * GROUP_NAME + GROUP_KEY ({@link GroupKey}: the name and the home's identity, as installations may share a table).
 * Writing the row inside the Replicat's own database transaction is what makes apply exactly-once: data and
 * position commit or roll back together.
 * <p>
 * Column types are portable (H2, PostgreSQL): CSNs are decimal text in VARCHAR(129) as in GoldenGate, AUDIT_TS
 * is {@code yyyy-MM-dd HH:mm:ss.SSSSSS} text (UTC wall clock, like the source values), CREATE_TS/LAST_UPDATE_TS
 * are TIMESTAMP. GROUP_NAME is VARCHAR(30) (GoldenGate: 8) so longer redotrail group names still fit.
 * <p>
 * Stateless apart from its name: every method takes the caller's connection and never commits, except
 * {@link #create} which commits its DDL. Thread-safe. {@link #update} keeps the UPDATE statement of the last
 * connection it was given (a Replicat writes its row once per group) and skips the {@code _LOX} delete while
 * it knows the group has no overflow rows; tell it of a rollback with {@link #rolledBack()}.
 */
public final class CheckpointTable {
    public static final String DEFAULT_NAME = "GGADMIN.CHECKPOINT";
    /** Checkpoint table format version written to VERSION. */
    public static final int VERSION = 1;
    /** Width of LOG_CMPLT_XIDS; longer XID lists overflow into the _LOX table. */
    static final int XIDS_WIDTH = 2000;

    private final String owner;
    private final String table;
    private final String currentDir;
    /** The home's identity ({@link HomeIdentity}) GROUP_KEY hashes; null for a table used with no home. */
    private final String homeId;
    /**
     * The statements each commit runs (a group's or an applier's row, overflow or _LOX rows), written once for
     * the serial and the parallel Replicat ({@link ParallelCheckpoints}): concatenated per commit, the parallel
     * appliers' took 6 % of their samples in a profile. The INSERT takes the UPDATE's ten values in its order.
     */
    final String updateRowSql, insertRowSql, insertLoxSql;
    /** {@link #update}'s statement and the connection it belongs to. */
    private Connection updateConn;
    private PreparedStatement updatePs;
    /** Whether the group may have _LOX rows: unknown at first and after a rollback; false after a delete. */
    private boolean loxMayHoldRows = true;
    /** {@link #update}'s group and its GROUP_KEY: a SHA-256 per commit cost more than the row's other values. */
    private String keyedGroup;
    private long keyedGroupKey;
    private long parallelLoxThrough = -1;
    /** The parallel Replicat's _LOX rows number from here (ParallelCheckpoints); the serial overflow rows from 1. */
    static final int PARALLEL_LOX_SEQ = 0x4000_0000;

    /** What the row says: the trail position to resume from and the CSN watermarks. */
    public record Row(String group, long groupKey, TrailPosition position, Scn logCsn, Scn logCmpltCsn,
                      Set<String> completedXids, String auditTs) {
        /** True when a transaction was already applied: below the watermark, or at it and listed as completed. */
        public boolean applied(Scn csn, Xid xid) {
            int c = csn.compareTo(logCmpltCsn);
            return c < 0 || (c == 0 && completedXids.contains(xid.toString()));
        }
    }

    public CheckpointTable(String qualifiedName) {
        this(qualifiedName, null);
    }

    /** @param currentDir the redotrail home, stored in CURRENT_DIR (may be null) */
    public CheckpointTable(String qualifiedName, String currentDir) {
        String n = qualifiedName == null || qualifiedName.isBlank() ? DEFAULT_NAME : qualifiedName.trim();
        if (!n.matches("([A-Za-z_][A-Za-z0-9_$]*\\.)?[A-Za-z_][A-Za-z0-9_$]*")) {
            throw new IllegalArgumentException("checkpoint table must be OWNER.TABLE (plain identifiers): " + n);
        }
        int dot = n.indexOf('.');
        this.owner = dot < 0 ? null : n.substring(0, dot).toUpperCase(Locale.ROOT);
        this.table = (dot < 0 ? n : n.substring(dot + 1)).toUpperCase(Locale.ROOT);
        this.currentDir = currentDir == null ? null : GroupKey.dirOf(Path.of(currentDir));
        this.homeId = currentDir == null ? null : HomeIdentity.of(Path.of(currentDir));
        this.updateRowSql = "UPDATE " + name() + " SET SEQNO = ?, RBA = ?, AUDIT_TS = ?, "
                + "LAST_UPDATE_TS = LOCALTIMESTAMP, CURRENT_DIR = ?, LOG_CSN = ?, LOG_XID = NULL, LOG_CMPLT_CSN = ?, "
                + "LOG_CMPLT_XIDS = ?, VERSION = ? WHERE GROUP_NAME = ? AND GROUP_KEY = ?";
        this.insertRowSql = "INSERT INTO " + name() + " (SEQNO, RBA, AUDIT_TS, "
                + "CURRENT_DIR, LOG_CSN, LOG_CMPLT_CSN, LOG_CMPLT_XIDS, VERSION, GROUP_NAME, GROUP_KEY, CREATE_TS, "
                + "LAST_UPDATE_TS, LOG_XID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, LOCALTIMESTAMP, LOCALTIMESTAMP, NULL)";
        this.insertLoxSql = "INSERT INTO " + loxName() + " (GROUP_NAME, GROUP_KEY, "
                + "LOG_CMPLT_CSN, LOG_CMPLT_XIDS_SEQ, LOG_CMPLT_XIDS) VALUES (?, ?, ?, ?, ?)";
    }

    /** OWNER.TABLE as written in SQL (unquoted, so H2 keeps upper case and PostgreSQL folds to lower case). */
    public String name() {
        return owner == null ? table : owner + "." + table;
    }

    public String loxName() {
        return name() + "_LOX";
    }

    /** CURRENT_DIR as written: the home, absolute and normalized ("" for a table used with no home). */
    String currentDir() {
        return currentDir == null ? "" : currentDir;
    }

    /** GROUP_KEY of a group's row in a table used with no home (tests, readers) and of rows keyed before the home was. */
    public static long groupKey(String group) {
        return GroupKey.of(group, null);
    }

    /** GROUP_KEY of {@code group}'s row as the Replicat of this table's home writes it ({@link GroupKey}). */
    public long key(String group) {
        return GroupKey.of(group, homeId);
    }

    /**
     * The key the group's rows have now: {@link #key}, or while this home's rows still carry the name's hash alone
     * ({@link #adoptEarlierRows} not run yet: a table written by an earlier version) that one, so a reader finds them.
     */
    public long rowKey(Connection c, String group) throws SQLException {
        return CheckpointHomes.rowKey(this, c, group);
    }

    /**
     * Moves {@code group}'s rows written before the home was part of GROUP_KEY (keyed by the name alone, CURRENT_DIR
     * this home) to {@link #key}, with their applier and _LOX rows, in the caller's transaction (no commit); returns
     * how many rows moved. None while the group has a row under its key: another home's rows are never touched.
     */
    public int adoptEarlierRows(Connection c, String group) throws SQLException {
        return CheckpointHomes.adopt(this, c, group);
    }

    /** See {@link CheckpointHomes#foreignKeysHere}. */
    public java.util.Set<Long> foreignKeysHere(Connection c, String group) throws SQLException {
        return CheckpointHomes.foreignKeysHere(this, c, group);
    }

    /**
     * AUDIT_TS of a source commit at epoch {@code millis}: {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, UTC. Written out for
     * years 1-9999 rather than by a DateTimeFormatter: it runs once per target commit, too rarely for the JIT to
     * compile it before a bench stage, and compiling the formatter's fraction printer took 1.3 s of a 2-core stage.
     */
    static String auditTimestamp(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        LocalDate d = LocalDate.ofEpochDay(days);
        int y = d.getYear();
        if (y < 1 || y > 9999) return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                .format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
        char[] c = "0000-00-00 00:00:00.000000".toCharArray();
        digits(c, 0, 4, y);
        digits(c, 5, 2, d.getMonthValue());
        digits(c, 8, 2, d.getDayOfMonth());
        digits(c, 11, 2, (int) (ms / 3_600_000));
        digits(c, 14, 2, (int) (ms / 60_000 % 60));
        digits(c, 17, 2, (int) (ms / 1000 % 60));
        digits(c, 20, 3, (int) (ms % 1000));
        return new String(c);
    }

    private static void digits(char[] c, int at, int width, int v) {
        for (int i = at + width - 1; i >= at; i--, v /= 10) c[i] = (char) ('0' + v % 10);
    }

    /** ADD CHECKPOINTTABLE: creates schema, table and _LOX table when absent; commits. Idempotent. */
    public void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (owner != null) s.execute("CREATE SCHEMA IF NOT EXISTS " + owner);
            s.execute("CREATE TABLE IF NOT EXISTS " + name() + " ("
                    + "GROUP_NAME VARCHAR(30) NOT NULL, GROUP_KEY BIGINT NOT NULL, SEQNO INTEGER, RBA BIGINT NOT NULL, "
                    + "AUDIT_TS VARCHAR(29), CREATE_TS TIMESTAMP NOT NULL, LAST_UPDATE_TS TIMESTAMP NOT NULL, "
                    + "CURRENT_DIR VARCHAR(255) NOT NULL, LOG_CSN VARCHAR(129), LOG_XID VARCHAR(129), "
                    + "LOG_CMPLT_CSN VARCHAR(129), LOG_CMPLT_XIDS VARCHAR(" + XIDS_WIDTH + "), VERSION INTEGER, "
                    + "PRIMARY KEY (GROUP_NAME, GROUP_KEY))");
            s.execute("CREATE TABLE IF NOT EXISTS " + loxName() + " ("
                    + "GROUP_NAME VARCHAR(30) NOT NULL, GROUP_KEY BIGINT NOT NULL, LOG_CMPLT_CSN VARCHAR(129) NOT NULL, "
                    + "LOG_CMPLT_XIDS_SEQ INTEGER NOT NULL, LOG_CMPLT_XIDS VARCHAR(" + XIDS_WIDTH + ") NOT NULL, "
                    + "PRIMARY KEY (GROUP_NAME, GROUP_KEY, LOG_CMPLT_CSN, LOG_CMPLT_XIDS_SEQ))");
        }
        if (!c.getAutoCommit()) c.commit();
    }

    /** The group's row (with _LOX overflow XIDs merged in), or empty when the group never checkpointed. */
    public Optional<Row> read(Connection c, String group) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        long key = rowKey(c, g);
        Row row;
        try (PreparedStatement ps = c.prepareStatement("SELECT SEQNO, RBA, LOG_CSN, LOG_CMPLT_CSN, LOG_CMPLT_XIDS, "
                + "AUDIT_TS FROM " + name() + " WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            ps.setString(1, g);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                Set<String> xids = new LinkedHashSet<>(splitXids(rs.getString(5)));
                Scn logCsn = csn(rs.getString(3));
                Scn cmplt = rs.getString(4) == null ? logCsn : csn(rs.getString(4));
                row = new Row(g, key, new TrailPosition(rs.getLong(1), rs.getLong(2)), logCsn, cmplt, xids,
                        rs.getString(6));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT LOG_CMPLT_XIDS FROM " + loxName()
                + " WHERE GROUP_NAME = ? AND GROUP_KEY = ? AND LOG_CMPLT_CSN = ? ORDER BY LOG_CMPLT_XIDS_SEQ")) {
            ps.setString(1, g);
            ps.setLong(2, key);
            ps.setString(3, Long.toString(row.logCmpltCsn().value()));
            try (ResultSet rs = ps.executeQuery()) {
                String at = Long.toString(row.logCmpltCsn().value());
                while (rs.next()) {
                    // a parallel applier's row lists "csn/xid" entries (stored under its highest CSN): only those
                    // at this CSN are its completed XIDs; the others are below it, applied by the CSN alone
                    for (String x : splitXids(rs.getString(1))) {
                        int slash = x.indexOf('/');
                        if (slash < 0) row.completedXids().add(x);
                        else if (x.substring(0, slash).equals(at)) row.completedXids().add(x.substring(slash + 1));
                    }
                }
            }
        }
        return Optional.of(row);
    }

    /** Serial Replicat checkpoint after applying {@code last}: LOG_CSN = LOG_CMPLT_CSN = its CSN, XIDS = its XID. */
    public void update(Connection c, String group, TrailPosition position, Transaction last) throws SQLException {
        update(c, group, position, last.csn(), last.commitTimestampMillis(), List.of(last.xid()));
    }

    /**
     * Writes the group's row inside the caller's transaction (no commit). {@code xids} are the applied
     * transactions whose CSN equals {@code csn} (more than one only when transactions share a commit SCN);
     * when they do not fit LOG_CMPLT_XIDS the rest goes to the _LOX table.
     */
    public synchronized void update(Connection c, String group, TrailPosition position, Scn csn, long commitMillis,
                                    Collection<Xid> xids) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        if (!g.equals(keyedGroup)) {
            keyedGroupKey = key(g);
            keyedGroup = g;
        }
        long key = keyedGroupKey;
        List<String> chunks = chunk(xids);
        String csnText = Long.toString(csn.value());
        String audit = auditTimestamp(commitMillis);
        if (updateConn != c || updatePs == null || updatePs.isClosed()) {
            // reused: PostgreSQL's driver then prepares it on the server after a few runs
            updatePs = c.prepareStatement(updateRowSql);
            updateConn = c;
        }
        bindRow(updatePs, position, audit, csnText, chunks.get(0), g, key);
        if (updatePs.executeUpdate() == 0) {
            // same ten values in the same order as the UPDATE, so one binding serves both
            try (PreparedStatement ps = c.prepareStatement(insertRowSql)) {
                bindRow(ps, position, audit, csnText, chunks.get(0), g, key);
                ps.executeUpdate();
            }
        }
        // Overflow rows only exist for CSNs shared by very many transactions; clear the group's old ones, once
        // after a start or rollback and after each overflow (reads match LOG_CMPLT_CSN, so a stale row is harmless)
        // A parallel run's rows (LOG_CMPLT_XIDS_SEQ from 2^30, see ParallelCheckpoints) list transactions above its
        // low watermark that this serial run skips: each goes only once this checkpoint's CSN is above all it lists
        if (loxMayHoldRows) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + loxName()
                    + " WHERE GROUP_NAME = ? AND GROUP_KEY = ? AND (LOG_CMPLT_XIDS_SEQ < " + PARALLEL_LOX_SEQ
                    + " OR CAST(LOG_CMPLT_CSN AS BIGINT) < ?)")) {
                ps.setString(1, g);
                ps.setLong(2, key);
                ps.setLong(3, csn.value());
                ps.executeUpdate();
            }
            loxMayHoldRows = csn.value() <= parallelLoxThrough;
        }
        if (chunks.size() > 1) {
            loxMayHoldRows = true;
            try (PreparedStatement ps = c.prepareStatement(insertLoxSql)) {
                for (int i = 1; i < chunks.size(); i++) {
                    ps.setString(1, g);
                    ps.setLong(2, key);
                    ps.setString(3, csnText);
                    ps.setInt(4, i);
                    ps.setString(5, chunks.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * ALTER REPLICAT ... EXTSEQNO, EXTRBA: moves the group's trail position, keeping its CSN watermarks (no
     * commit); false when the group has no row.
     */
    public boolean reposition(Connection c, String group, TrailPosition position) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + name() + " SET SEQNO = ?, RBA = ?, "
                + "LAST_UPDATE_TS = LOCALTIMESTAMP WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            ps.setLong(1, position.seqno());
            ps.setLong(2, position.rba());
            ps.setString(3, g);
            ps.setLong(4, rowKey(c, g));
            return ps.executeUpdate() > 0;
        }
    }

    /** The row's values, in the order both the UPDATE and the INSERT of {@link #update} list them. */
    private void bindRow(PreparedStatement ps, TrailPosition position, String audit, String csnText, String xids,
                         String group, long key) throws SQLException {
        ps.setLong(1, position.seqno());
        ps.setLong(2, position.rba());
        ps.setString(3, audit);
        ps.setString(4, currentDir());
        ps.setString(5, csnText);
        ps.setString(6, csnText);
        ps.setString(7, xids);
        ps.setInt(8, VERSION);
        ps.setString(9, group);
        ps.setLong(10, key);
    }

    /**
     * A serial run started over a parallel run's _LOX rows listing CSNs up to {@code highestCsn} (-1: none): its
     * commits delete them only as its checkpoint passes them.
     */
    public synchronized void keepParallelLoxThrough(long highestCsn) {
        parallelLoxThrough = highestCsn;
        loxMayHoldRows = true;
    }

    /** The caller rolled back a transaction in which it called {@link #update}: the _LOX state is unknown again. */
    public synchronized void rolledBack() {
        loxMayHoldRows = true;
    }

    /**
     * INFO REPLICAT ..., DETAIL of a parallel Replicat: its low watermark, one line per applier (the last
     * transaction each committed) and the number of _LOX rows; empty when the group has no applier rows.
     */
    public List<String> parallelDetail(Connection c, String group) throws SQLException {
        return new ParallelCheckpoints(this, group).detail(c);
    }

    /**
     * DELETE REPLICAT: removes the group's rows (no commit): its row, a parallel run's applier rows and the _LOX
     * rows, under its key and under the name's hash alone where this home wrote them ({@link #adoptEarlierRows}).
     */
    public void delete(Connection c, String group) throws SQLException {
        String g = group.toUpperCase(Locale.ROOT);
        long key = rowKey(c, g);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name() + " WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            for (int n = 0; n <= GroupKey.APPLIERS; n++) {
                ps.setString(1, g);
                ps.setLong(2, key + n);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + loxName() + " WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            ps.setString(1, g);
            ps.setLong(2, key);
            ps.executeUpdate();
        }
    }

    private static Scn csn(String text) {
        return text == null || text.isBlank() ? Scn.ZERO : Scn.of(Long.parseLong(text.trim()));
    }

    private static List<String> splitXids(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) return out;
        for (String x : s.split(",")) {
            if (!x.isBlank()) out.add(x.trim());
        }
        return out;
    }

    /** Comma-separated XIDs cut into pieces that fit LOG_CMPLT_XIDS; never empty. */
    private static List<String> chunk(Collection<Xid> xids) {
        List<String> chunks = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (Xid x : xids) {
            String t = x.toString();
            if (sb.length() > 0 && sb.length() + 1 + t.length() > XIDS_WIDTH) {
                chunks.add(sb.toString());
                sb.setLength(0);
            }
            if (sb.length() > 0) sb.append(',');
            sb.append(t);
        }
        chunks.add(sb.toString());
        return chunks;
    }
}
