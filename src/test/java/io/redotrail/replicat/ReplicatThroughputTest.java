package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Insert-heavy apply rate vs a plain JDBC batch insert of the same rows into H2 (same batch size, one commit
 * per 1000 rows in both). Requirement: applier ≥ 0.8 × plain. Best of several rounds to damp JIT/GC noise.
 */
class ReplicatThroughputTest {
    static final int ROWS = 100_000, TX_ROWS = 100, TX_PER_EXCHANGE = 10;
    static final String[] COLS = {"ID", "NAME", "AMOUNT", "CREATED"};

    @TempDir
    Path dir;

    @Test
    void applierKeepsUpWithPlainJdbcBatchInsert() throws Exception {
        List<List<Transaction>> exchanges = workload();
        double plain = 0, applier = 0;
        for (int round = 0; round < 6; round++) {
            // best of N for each side: a loaded machine (parallel builds) only ever slows a round down
            System.gc();
            plain = Math.max(plain, plainRate(round));
            System.gc();
            applier = Math.max(applier, applierRate(round, exchanges));
        }
        System.out.printf("plain JDBC batch: %.0f rows/s, applier: %.0f rows/s, ratio %.2f%n", plain, applier, applier / plain);
        assertTrue(applier >= 0.8 * plain, "applier " + applier + " rows/s < 0.8 × plain " + plain + " rows/s");
    }

    private String db(String name, int round) throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve(name + round);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA APP");
            s.execute("CREATE TABLE APP.T (ID BIGINT PRIMARY KEY, NAME VARCHAR(100), AMOUNT DECIMAL(18,2), CREATED TIMESTAMP)");
        }
        return url;
    }

    private static Object[] values(long id) {
        return new Object[]{id, "customer name " + id, BigDecimal.valueOf(id * 7, 2), LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(id)};
    }

    private double plainRate(int round) throws SQLException {
        String url = db("plain", round);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO APP.T (ID, NAME, AMOUNT, CREATED) VALUES (?, ?, ?, ?)")) {
                for (long id = 1; id <= ROWS; id++) {
                    Object[] v = values(id);
                    ps.setLong(1, (Long) v[0]);
                    ps.setString(2, (String) v[1]);
                    ps.setBigDecimal(3, (BigDecimal) v[2]);
                    ps.setObject(4, v[3]);
                    ps.addBatch();
                    if (id % (TX_ROWS * TX_PER_EXCHANGE) == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            return ROWS / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private double applierRate(int round, List<List<Transaction>> exchanges) throws Exception {
        ReplicatApplier a = new ReplicatApplier();
        a.setGroup("PERF");
        a.setHome(dir.resolve("home" + round).toString());
        a.setJdbcUrl(db("rep", round));
        a.setUser("sa");
        a.setPassword("");
        a.start();
        var ctx = new DefaultCamelContext();
        try {
            long t0 = System.nanoTime();
            for (List<Transaction> body : exchanges) {
                Exchange e = new DefaultExchange(ctx);
                e.getIn().setBody(body);
                a.process(e);
            }
            return ROWS / ((System.nanoTime() - t0) / 1e9);
        } finally {
            a.stop();
        }
    }

    /** Building the trail objects is the trail consumer's cost, not the applier's: done before timing. */
    private static List<List<Transaction>> workload() {
        List<List<Transaction>> out = new ArrayList<>();
        List<Transaction> batch = new ArrayList<>();
        long id = 1;
        for (int t = 1; t <= ROWS / TX_ROWS; t++) {
            List<RowChange> ch = new ArrayList<>(TX_ROWS);
            for (int i = 0; i < TX_ROWS; i++, id++) {
                ch.add(new RowChange("APP.T", ChangeOp.INSERT, null, new RowImage(COLS, values(id))));
            }
            batch.add(new Transaction(new Xid(1, 1, t), Scn.of(1000L + t), 0, 1, ch, null,
                    new TrailPosition(1, t * 10_000L), new TrailPosition(1, (t + 1) * 10_000L)));
            if (batch.size() == TX_PER_EXCHANGE) {
                out.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) out.add(batch);
        return out;
    }
}
