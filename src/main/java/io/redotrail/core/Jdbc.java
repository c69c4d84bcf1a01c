package io.redotrail.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Opens JDBC connections, waiting out one known transient condition: an H2 file database whose previous
 * owner was killed (kill -9) still carries that owner's lock file and AUTO_SERVER address for a few seconds
 * ("Database may be already in use", "Locked by another process", "Another process was faster", or the dead
 * server's port refusing, or "Lock file recently modified"), and two processes opening one at the same moment
 * ("Error opening database: "Concurrent update""). Any other error is returned at once.
 */
public final class Jdbc {
    private static final long WAIT_MILLIS = 30_000;

    private Jdbc() {
    }

    public static Connection connect(String url, String user, String password) throws SQLException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            try {
                return DriverManager.getConnection(url, user, password);
            } catch (SQLException e) {
                if (!staleH2Owner(url, e) || System.currentTimeMillis() > deadline) throw e;
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** An H2 database in the files of the process that opens it (not a server reached over TCP, not in memory). */
    public static boolean embeddedH2(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")) return false;
        String rest = url.substring("jdbc:h2:".length());
        return !(rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("mem:"));
    }

    static boolean staleH2Owner(String url, SQLException e) {
        if (!url.startsWith("jdbc:h2:")) return false;
        String m = String.valueOf(e.getMessage());
        // 90020 database in use, 90067 connection broken (dead AUTO_SERVER), 90135 lock file race
        return e.getErrorCode() == 90020 || e.getErrorCode() == 90067 || e.getErrorCode() == 90135
                || m.contains("Locked by another process") || m.contains("Another process was faster")
                || m.contains("Lock file recently modified")
                // 8000 from H2's lock-file protocol: another process wrote the lock file between this one's write
                // and its re-read (two opens of an AUTO_SERVER database at the same moment; h2database#2249)
                || e.getErrorCode() == 8000 && m.contains("\"Concurrent update\"");
    }

    /**
     * The URL for a connection that sends JDBC batches: PostgreSQL's driver then rewrites a batch of INSERTs into
     * multi-row INSERTs (one statement per batch instead of one per row), unless the URL already decides
     * {@code reWriteBatchedInserts}. Other URLs are returned unchanged.
     */
    public static String forBatches(String url) {
        if (!url.startsWith("jdbc:postgresql:") || url.toLowerCase(java.util.Locale.ROOT).contains("rewritebatchedinserts")) return url;
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    /**
     * A database error in one line for a message: its first line, without the {@code "; SQL statement:"} H2 ends it
     * with before printing the statement on the next.
     */
    public static String oneLine(Throwable e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return first.endsWith("; SQL statement:") ? first.substring(0, first.length() - "; SQL statement:".length()) : first;
    }
}
