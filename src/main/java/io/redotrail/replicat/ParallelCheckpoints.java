package io.redotrail.replicat;

import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parallel Replicat's rows in the checkpoint table ({@link CheckpointTable}, GoldenGate's columns):
 * <ul>
 * <li>the group's row (GROUP_NAME, GROUP_KEY = {@link CheckpointTable#key}): the <em>low watermark</em>,
 * LOG_CMPLT_CSN and SEQNO/RBA of the last transaction below which everything is applied; the trail is re-read
 * from its position after a restart. Written by the trail thread after appliers committed, so it only lags;</li>
 * <li>one row per applier n (GROUP_KEY = group key + n, n = 1..APPLY_PARALLELISM, {@link GroupKey}): the last transaction that
 * applier committed, written in the same target transaction as its work;</li>
 * <li>{@code <table>_LOX} rows listing every transaction an applier commit holds, in the same target transaction
 * as its work: LOG_CMPLT_XIDS = {@code csn/xid} entries, comma-separated, as many as fit its width (a row per
 * transaction was a fifth of the parallel stage's PostgreSQL CPU); LOG_CMPLT_CSN = the highest CSN listed, so
 * the row is deleted only once the low watermark's CSN passed all of them; LOG_CMPLT_XIDS_SEQ = 2^30 + 30 bits
 * of the hash of that transaction's XID, so it never meets the serial Replicat's overflow numbers 1..n (each
 * transaction, or SPLIT_TRANS_RECS piece, is in one row: two rows with one highest CSN name different XIDs or
 * pieces; a hash collision fails on the primary key and abends rather than lose anything). A piece is listed as
 * {@code csn/xid#from+count/total} (its operations {@code [from, from + count)} of the transaction's {@code total},
 * {@link TransactionPiece}), and a row under a piece hashes that entry, mixed. A bare XID (no {@code csn/}) is one
 * at the row's CSN, as rows of one transaction each were written before. Rows below the low watermark's CSN are
 * deleted when it advances.</li>
 * </ul>
 * A transaction was applied when its CSN is below the low watermark, or it is listed at it, or it is listed in
 * a _LOX row: exactly what a restart skips.
 * <p>
 * Stateless apart from the table: every method takes the caller's connection and never commits. Thread-safe.
 */
final class ParallelCheckpoints {
    private final CheckpointTable table;
    private final String group;
    private final long key;
    private final String currentDir;
    /** The low watermark's _LOX delete, written once (as the table's per-commit statements). */
    private final String deleteLox;

    ParallelCheckpoints(CheckpointTable table, String group) {
        this.table = table;
        this.group = group.toUpperCase(Locale.ROOT);
        this.key = table.key(this.group);
        this.currentDir = table.currentDir();
        this.deleteLox = "DELETE FROM " + table.loxName() + " WHERE GROUP_NAME = ? AND "
                + "GROUP_KEY = ? AND CAST(LOG_CMPLT_CSN AS BIGINT) < ?";
    }

    /**
     * The _LOX rows of the group: "CSN/XID" of each transaction (and "CSN/XID#from+count/total" of each
     * SPLIT_TRANS_RECS piece) an applier committed, above the low watermark or at its CSN.
     */
    Set<String> appliedAbove(Connection c) throws SQLException {
        return appliedAbove(c, key);
    }

    private Set<String> appliedAbove(Connection c, long key) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT LOG_CMPLT_CSN, LOG_CMPLT_XIDS FROM " + table.loxName()
                + " WHERE GROUP_NAME = ? AND GROUP_KEY = ?")) {
            ps.setString(1, group);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (String x : rs.getString(2).split(",")) {
                        x = x.trim();
                        if (x.isEmpty()) continue;
                        int piece = x.indexOf('#');
                        if (piece >= 0) {
                            // a damaged piece entry would cut its transaction wrongly: refused, naming where it is
                            try {
                                TransactionPiece.parseSuffix(x.substring(piece));
                            } catch (IllegalArgumentException e) {
                                throw new IllegalStateException(table.loxName() + ", group " + group + ", row LOG_CMPLT_CSN "
                                        + rs.getString(1).trim() + ": entry '" + x + "' is not csn/xid#from+count/total", e);
                            }
                        }
                        out.add(x.indexOf('/') >= 0 ? x : loxKey(rs.getString(1).trim(), x));
                    }
                }
            }
        }
        return out;
    }

    static String loxKey(String csn, String xid) {
        return csn + "/" + xid;
    }

    /** The CSN of a _LOX entry ({@code csn/xid...}). */
    static long csnOf(String entry) {
        return Long.parseLong(entry.substring(0, entry.indexOf('/')));
    }

    static String loxKey(Transaction tx) {
        return loxKey(Long.toString(tx.csn().value()), tx.xid().toString());
    }

    /** The _LOX entry of a whole transaction ({@code piece} null) or of a SPLIT_TRANS_RECS piece of it. */
    static String loxKey(Transaction tx, TransactionPiece piece) {
        return piece == null ? loxKey(tx) : loxKey(tx) + piece.loxSuffix();
    }

    /**
     * The SPLIT_TRANS_RECS pieces among {@link #appliedAbove} entries: per transaction ({@code csn/xid}), the
     * {from, count, total} of each piece committed.
     */
    static Map<String, List<int[]>> pieces(Set<String> entries) {
        Map<String, List<int[]>> out = new HashMap<>();
        for (String e : entries) {
            int hash = e.indexOf('#');
            if (hash < 0) continue;
            out.computeIfAbsent(e.substring(0, hash), k -> new ArrayList<>()).add(TransactionPiece.parseSuffix(e.substring(hash)));
        }
        return out;
    }

    /** In the applier's transaction: its row (the last of {@code txs}) and _LOX rows listing every one of {@code txs}. */
    void applied(Connection c, int applier, List<Transaction> txs) throws SQLException {
        applied(c, applier, txs, null);
    }

    /**
     * As {@link #applied(Connection, int, List)}, {@code pieces} (null: none) naming per transaction the
     * SPLIT_TRANS_RECS piece it is (null: the whole transaction).
     */
    void applied(Connection c, int applier, List<Transaction> txs, List<TransactionPiece> pieces) throws SQLException {
        Transaction last = txs.get(txs.size() - 1);
        upsert(c, key + applier, last.trailEnd().seqno(), last.trailEnd().rba(), last.csn(), last.commitTimestampMillis(),
                last.xid().toString());
        try (PreparedStatement ps = c.prepareStatement(table.insertLoxSql)) {
            StringBuilder xids = new StringBuilder();
            Transaction highest = null;
            TransactionPiece highestPiece = null;
            for (int i = 0; i < txs.size(); i++) {
                Transaction tx = txs.get(i);
                TransactionPiece piece = pieces == null ? null : pieces.get(i);
                String entry = loxKey(tx, piece);
                if (highest != null && xids.length() + 1 + entry.length() > CheckpointTable.XIDS_WIDTH) {
                    addLox(ps, highest, highestPiece, xids);
                    xids.setLength(0);
                    highest = null;
                }
                if (highest != null) xids.append(',');
                xids.append(entry);
                // an applier's queue is not always in CSN order (a transaction that waited joins it later)
                if (highest == null || tx.csn().compareTo(highest.csn()) > 0) {
                    highest = tx;
                    highestPiece = piece;
                }
            }
            addLox(ps, highest, highestPiece, xids);
            ps.executeBatch();
        }
    }

    /** A _LOX row under its highest transaction's CSN, or under that SPLIT_TRANS_RECS piece of it ({@code piece} not null). */
    private void addLox(PreparedStatement ps, Transaction highest, TransactionPiece piece, CharSequence xids) throws SQLException {
        int h = highest.xid().toString().hashCode();
        if (piece != null) {
            // String.hashCode is linear (XIDs differing by k and pieces starting k apart would meet): the entry's, mixed
            h = (highest.xid() + piece.loxSuffix()).hashCode() * 0x9E3779B1;
            h ^= h >>> 15;
        }
        ps.setString(1, group);
        ps.setLong(2, key);
        ps.setString(3, Long.toString(highest.csn().value()));
        ps.setInt(4, CheckpointTable.PARALLEL_LOX_SEQ | (h & 0x3FFF_FFFF));
        ps.setString(5, xids.toString());
        ps.addBatch();
    }

    /** The low watermark moved to {@code lwm}: the group's row, and the _LOX rows below its CSN go. */
    void watermark(Connection c, Transaction lwm) throws SQLException {
        upsert(c, key, lwm.trailEnd().seqno(), lwm.trailEnd().rba(), lwm.csn(), lwm.commitTimestampMillis(), lwm.xid().toString());
        try (PreparedStatement ps = c.prepareStatement(deleteLox)) {
            ps.setString(1, group);
            ps.setLong(2, key);
            ps.setLong(3, lwm.csn().value());
            ps.executeUpdate();
        }
    }

    /**
     * For INFO REPLICAT ..., DETAIL: the low watermark (the group's row) and one line per applier row (the last
     * transaction it committed: CSN, XID, trail position, source commit time), then how many transactions (and
     * SPLIT_TRANS_RECS pieces) are committed above the low watermark (_LOX entries; those of the watermark's own
     * transaction, kept until it moves past its CSN, are not above it); empty when the group never ran in parallel.
     */
    List<String> detail(Connection c) throws SQLException {
        String lwm = null;
        String format = "  %-16s %20s %-16s %8s %12s  %s";
        long key = table.rowKey(c, group); // rows an earlier version keyed by the name alone, until a start moves them
        java.util.TreeMap<Integer, String> rows = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT GROUP_KEY, SEQNO, RBA, LOG_CMPLT_CSN, LOG_CMPLT_XIDS, AUDIT_TS FROM "
                + table.name() + " WHERE GROUP_NAME = ?")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = GroupKey.row(rs.getLong(1), key);
                    if (n < 0) continue; // the group's name in another home
                    if (n == 0 && rs.getString(5) != null) lwm = loxKey(rs.getString(4).trim(), rs.getString(5).trim());
                    rows.put(n, String.format(format, n == 0 ? "Low watermark" : "Applier " + n, rs.getString(4).trim(),
                            rs.getString(5) == null ? "" : rs.getString(5).trim(), rs.getLong(2), rs.getLong(3),
                            rs.getString(6) == null ? "" : rs.getString(6).trim()));
                }
            }
        }
        if (rows.size() < 2) return List.of(); // no applier row: not a parallel Replicat (yet)
        long lox = 0;
        long lwmCsn = lwm == null ? -1 : csnOf(lwm);
        for (String e : appliedAbove(c, key)) {
            int piece = e.indexOf('#');
            String tx = piece < 0 ? e : e.substring(0, piece);
            // at the watermark's CSN, another transaction (one CSN, several transactions) is above it too
            if (!tx.equals(lwm) && csnOf(tx) >= lwmCsn) lox++;
        }
        List<String> out = new ArrayList<>();
        out.add("  Parallel Replicat checkpoints (" + table.name() + ", " + table.loxName() + "):");
        out.add("");
        out.add(String.format(format, "Thread", "Last applied CSN", "XID", "Seqno", "RBA", "Source commit"));
        out.add("");
        out.addAll(rows.values());
        out.add("");
        out.add("  Transactions (and SPLIT_TRANS_RECS pieces) committed above the low watermark (listed in " + table.loxName() + "): " + lox);
        return out;
    }

    private void upsert(Connection c, long rowKey, long seqno, long rba, Scn csn, long commitMillis, String xid) throws SQLException {
        String audit = CheckpointTable.auditTimestamp(commitMillis);
        String csnText = Long.toString(csn.value());
        int n;
        try (PreparedStatement ps = c.prepareStatement(table.updateRowSql)) {
            bind(ps, rowKey, seqno, rba, audit, csnText, xid);
            n = ps.executeUpdate();
        }
        if (n > 0) return;
        try (PreparedStatement ps = c.prepareStatement(table.insertRowSql)) {
            bind(ps, rowKey, seqno, rba, audit, csnText, xid);
            ps.executeUpdate();
        }
    }

    private void bind(PreparedStatement ps, long rowKey, long seqno, long rba, String audit, String csn, String xid)
            throws SQLException {
        ps.setLong(1, seqno);
        ps.setLong(2, rba);
        ps.setString(3, audit);
        ps.setString(4, currentDir);
        ps.setString(5, csn);
        ps.setString(6, csn);
        ps.setString(7, xid);
        ps.setInt(8, CheckpointTable.VERSION);
        ps.setString(9, group);
        ps.setLong(10, rowKey);
    }
}
