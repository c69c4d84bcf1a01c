package io.redotrail.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * Reproducer for the H2 2.3.232 store corruption behind ReplicatKillIT's "Double mark" (not a test; run by hand):
 * <pre>
 * java -ea -cp target/test-classes:target/lib/h2-2.3.232.jar io.redotrail.core.H2CloseCompactionRepro DIR CYCLES [URL-SETTINGS]
 * </pre>
 * One file database, opened and closed {@code CYCLES} times as the Replicat's lives and the test's polls do:
 * each cycle applies a random number of transactions of mixed inserts, updates and deletes with a checkpoint row,
 * closes (the last connection closes the database), then opens and closes it once more without writing (a poll).
 * Every database close of 2.3.232 compacts the file for up to MAX_COMPACT_TIME (default 200 ms), moving chunks
 * (RandomAccessStore.compactMoveChunks). Fails at the first cycle whose close or open goes wrong: with {@code -ea}
 * the close dies on an AssertionError in moveChunkInside (logged in DIR/target.trace.db, the close is cut short,
 * the file is left unclean); with {@code -Dcontinue=true} it goes on, and a later open fails with "File corrupted
 * ... Double mark". Prints the cycle count.
 */
public final class H2CloseCompactionRepro {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int cycles = Integer.parseInt(args[1]);
        String settings = args.length > 2 ? args[2] : "";
        Files.createDirectories(dir);
        String url = "jdbc:h2:file:" + dir.resolve("target") + settings;
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        boolean split = Boolean.getBoolean("split");
        if (System.getProperty("apply") != null) {
            apply(url, 0, Long.getLong("apply"), rnd);
            return;
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS T(ID BIGINT PRIMARY KEY, A VARCHAR(200), B DECIMAL(20,2), C TIMESTAMP)");
            s.execute("CREATE TABLE IF NOT EXISTS CP(GRP VARCHAR(8) PRIMARY KEY, CSN BIGINT)");
            s.execute("MERGE INTO CP KEY(GRP) VALUES ('REP1', 0)");
        }
        long csn = 0;
        boolean closeFailed = false;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            if (split) {
                // the apply phase in a JVM of its own without -ea, as the Replicat child runs; the poll stays here
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                        "-cp", System.getProperty("java.class.path"), "-Dapply=" + csn, H2CloseCompactionRepro.class.getName(),
                        args[0], "1", settings).inheritIO().start();
                if (p.waitFor() != 0) {
                    System.out.println("FAIL cycle " + cycle + ": the apply JVM failed");
                    System.exit(1);
                }
                try (Connection c = open(url, cycle, "csn"); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT CSN FROM CP")) {
                    r.next();
                    csn = r.getLong(1);
                }
            } else {
                csn = apply(url, cycle, csn, rnd);
            }
            try (Connection c = open(url, cycle, "poll"); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT CSN FROM CP")) {
                r.next();
                if (r.getLong(1) != csn) throw new IllegalStateException("cycle " + cycle + ": checkpoint " + r.getLong(1) + " != " + csn);
            }
            Path trace = dir.resolve("target.trace.db");
            if (!closeFailed && Files.exists(trace) && Files.readString(trace).contains("database: close")) {
                closeFailed = true;
                System.out.printf("cycle %d: a database close failed, see %s (%.1f s)%n", cycle, trace, (System.nanoTime() - t0) / 1e9);
                if (!Boolean.getBoolean("continue")) System.exit(1);
            }
        }
        System.out.printf("OK %d cycles (%.1f s)%n", cycles, (System.nanoTime() - t0) / 1e9);
    }

    /** One life of the Replicat: a random number of transactions, each with its checkpoint row; returns the CSN. */
    private static long apply(String url, int cycle, long csn, Random rnd) throws SQLException {
        try (Connection c = open(url, cycle, "apply")) {
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement("MERGE INTO T KEY(ID) VALUES (?, ?, ?, CURRENT_TIMESTAMP)");
                 PreparedStatement upd = c.prepareStatement("UPDATE T SET A = ?, B = B + 1 WHERE ID = ?");
                 PreparedStatement del = c.prepareStatement("DELETE FROM T WHERE ID = ?");
                 PreparedStatement cp = c.prepareStatement("UPDATE CP SET CSN = ? WHERE GRP = 'REP1'")) {
                int txs = 20 + rnd.nextInt(200);
                for (int t = 0; t < txs; t++) {
                    int ops = 1 + rnd.nextInt(100);
                    for (int o = 0; o < ops; o++) {
                        long id = rnd.nextInt(200_000);
                        int kind = rnd.nextInt(10);
                        if (kind < 5) {
                            ins.setLong(1, id);
                            ins.setString(2, "row " + id + " " + "x".repeat(rnd.nextInt(150)));
                            ins.setLong(3, rnd.nextInt(1_000_000));
                            ins.addBatch();
                        } else if (kind < 8) {
                            upd.setString(1, "upd " + rnd.nextLong());
                            upd.setLong(2, id);
                            upd.addBatch();
                        } else {
                            del.setLong(1, id);
                            del.addBatch();
                        }
                    }
                    ins.executeBatch();
                    upd.executeBatch();
                    del.executeBatch();
                    cp.setLong(1, ++csn);
                    cp.executeUpdate();
                    c.commit();
                }
            }
        }
        return csn;
    }

    private static Connection open(String url, int cycle, String what) throws SQLException {
        try {
            return DriverManager.getConnection(url, "sa", "");
        } catch (SQLException e) {
            System.out.println("FAIL cycle " + cycle + " (" + what + " open): " + e.getMessage());
            System.exit(1);
            throw e;
        }
    }
}
