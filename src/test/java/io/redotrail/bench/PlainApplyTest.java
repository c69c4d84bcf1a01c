package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The plain apply, the limit bench compares apply with: on a real workload's trail it leaves exactly the source's
 * rows, serially and on connections partitioned by key, into H2 files and PostgreSQL databases of their own.
 */
class PlainApplyTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    @TempDir
    static Path dir;
    static Path home;
    static List<Transaction> stream;
    static String sourceUrl;

    @BeforeAll
    static void trail() throws Exception {
        home = dir.resolve("home");
        stream = PrewrittenTrail.prepare(Path.of("config/application.properties"), home, 400, 13).transactions();
        sourceUrl = SourceDatabase.jdbcUrl(home);
        List<ChangeOp> ops = stream.stream().flatMap(t -> t.changes().stream()).map(RowChange::op).distinct().toList();
        assertTrue(ops.containsAll(List.of(ChangeOp.INSERT, ChangeOp.UPDATE, ChangeOp.DELETE, ChangeOp.PK_UPDATE)),
                "the workload has every kind of operation: " + ops);
    }

    @Test
    void serialApplyLeavesTheSourceRowsOnH2AndCommitsAsTheReplicat() throws Exception {
        BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.H2, home, "serial", null, null);
        try {
            PlainApply.Done d;
            try (Connection c = t.connect()) {
                d = PlainApply.apply(c, stream, PlainApply.Commits.asReplicat(100));
            }
            t.requireEqualTo(sourceUrl, "serial");
            assertEquals(expectedCommits(stream, 100), d.commits());
        } finally {
            t.drop();
        }
    }

    @Test
    void partitionedApplyLeavesTheSourceRowsOnH2() throws Exception {
        BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.H2, home, "parts", null, null);
        try {
            PlainLimit.concurrently(t, KeyPartitions.split(stream, 4), PlainApply.Commits.asReplicat(50));
            t.requireEqualTo(sourceUrl, "partitioned");
        } finally {
            t.drop();
        }
    }

    /** The whole limit on PostgreSQL: serial and on 3 connections, each checked against the source by PlainLimit itself. */
    @Test
    void limitOnPostgresqlSerialAndPartitioned() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PlainLimit.Result r = PlainLimit.measure(new PlainLimit.Where(BenchTarget.Kind.POSTGRESQL, home, PG, "postgres", ""),
                sourceUrl, stream, 100, 3, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(stream.stream().mapToLong(Transaction::size).sum(), r.ops());
        assertEquals(3, r.connections());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("1 connection") && text.contains("3 connections partitioned by key") && text.contains("equal to the source"), text);
    }

    /** The check can fail: a stream without its last transaction is not the source, and the limit refuses it. */
    @Test
    void anIncompleteApplyIsRefused() throws Exception {
        List<Transaction> missing = stream.subList(0, stream.size() - 1);
        BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.H2, home, "missing", null, null);
        try {
            try (Connection c = t.connect()) {
                PlainApply.run(c, missing, PlainApply.Commits.asReplicat(1000));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.requireEqualTo(sourceUrl, "the short apply"));
            assertTrue(e.getMessage().contains("the short apply did not produce the source's rows"), e.getMessage());
        } finally {
            t.drop();
        }
    }

    /** In one commit group the same row is inserted, updated, deleted, inserted again and moved to a new key: order kept. */
    @Test
    void operationsOnOneRowInOneGroupKeepTheirOrder() throws Exception {
        List<Transaction> txs = List.of(
                tx(1, ins(1, "a"), ins(2, "b"), upd(1, "a", "a2")),
                tx(2, del(1, "a2"), ins(1, "c"), pk(2, 3, "b")),
                tx(3, ins(2, "d"), upd(3, "b", "b3"), del(2, "d"), ins(2, "e")));
        BenchTarget t = BenchTarget.fresh(BenchTarget.Kind.H2, home, "order", null, null);
        try {
            try (Connection c = t.connect()) {
                PlainApply.Done d = PlainApply.apply(c, txs, PlainApply.Commits.asReplicat(1000));
                assertEquals(1, d.commits(), "one group");
                assertEquals(Map.of(1L, "c", 2L, "e", 3L, "b3"), owners(c));
            }
        } finally {
            t.drop();
        }
    }

    /**
     * A keyless row is addressed by all its columns, a NULL by IS NULL (one statement per NULL pattern): rows with
     * NULLs in different columns are updated and deleted, each change hitting exactly its row, on H2 and PostgreSQL.
     */
    @Test
    void keylessRowsWithNullsAreAddressedByEveryColumn() throws Exception {
        List<Transaction> txs = List.of(
                tx(1, new RowChange(AUDIT, ChangeOp.INSERT, null, audit(1, null, null)),
                        new RowChange(AUDIT, ChangeOp.INSERT, null, audit(2, "5", null)),
                        new RowChange(AUDIT, ChangeOp.INSERT, null, audit(3, "7", "x")),
                        new RowChange(AUDIT, ChangeOp.INSERT, null, audit(4, null, "y"))),
                tx(2, new RowChange(AUDIT, ChangeOp.UPDATE, audit(1, null, null), audit(1, null, "set")),
                        new RowChange(AUDIT, ChangeOp.DELETE, audit(2, "5", null), null),
                        new RowChange(AUDIT, ChangeOp.UPDATE, audit(3, "7", "x"), audit(3, null, "x")),
                        new RowChange(AUDIT, ChangeOp.DELETE, audit(4, null, "y"), null)),
                tx(3, new RowChange(AUDIT, ChangeOp.UPDATE, audit(3, null, "x"), audit(3, "8", null))));
        for (BenchTarget.Kind kind : BenchTarget.Kind.values()) {
            BenchTarget t = BenchTarget.fresh(kind, home, "keyless", PG, "postgres");
            try (Connection c = t.connect()) {
                PlainApply.apply(c, txs, PlainApply.Commits.asReplicat(1000));
                Map<Long, String> rows = new java.util.HashMap<>();
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT AUDIT_ID, AMOUNT, DETAIL FROM " + AUDIT)) {
                    while (r.next()) rows.put(r.getLong(1), (r.getBigDecimal(2) == null ? null : r.getBigDecimal(2).stripTrailingZeros().toPlainString()) + "/" + r.getString(3));
                }
                assertEquals(Map.of(1L, "null/set", 3L, "8/null"), rows, kind.label);
            } finally {
                t.drop();
            }
        }
    }

    private static final String AUDIT = SourceSchema.AUDIT_LOG;

    private static RowImage audit(long id, String amount, String detail) {
        return new RowImage(new String[]{"AUDIT_ID", "EVENT_TIME", "ACTOR", "ACTION", "AMOUNT", "DETAIL"},
                new Object[]{id, LocalDateTime.of(2026, 1, 2, 3, 4, 5), "me", "PAY", amount == null ? null : new BigDecimal(amount), detail});
    }

    /** As the Replicat with GROUPTRANSOPS n: a commit after the transaction reaching n operations, and one at the end. */
    static int expectedCommits(List<Transaction> txs, int n) {
        int commits = 0, pending = 0;
        for (Transaction t : txs) {
            pending += t.size();
            if (pending >= n) {
                commits++;
                pending = 0;
            }
        }
        return commits + (pending > 0 ? 1 : 0);
    }

    private static Map<Long, String> owners(Connection c) throws Exception {
        Map<Long, String> m = new java.util.HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT ID, OWNER_NAME FROM " + SourceSchema.ACCOUNT)) {
            while (r.next()) m.put(r.getLong(1), r.getString(2));
        }
        return m;
    }

    static Transaction tx(long csn, RowChange... changes) {
        return new Transaction(Xid.parse("1.2." + csn), Scn.of(csn), 1_000 * csn, 1, List.of(changes), new RedoPosition(1, 7, 100 * csn));
    }

    static RowChange ins(long id, String owner) {
        return new RowChange(SourceSchema.ACCOUNT, ChangeOp.INSERT, null, row(id, owner));
    }

    static RowChange upd(long id, String from, String to) {
        return new RowChange(SourceSchema.ACCOUNT, ChangeOp.UPDATE, row(id, from), row(id, to));
    }

    static RowChange pk(long from, long to, String owner) {
        return new RowChange(SourceSchema.ACCOUNT, ChangeOp.PK_UPDATE, row(from, owner), row(to, owner));
    }

    static RowChange del(long id, String owner) {
        return new RowChange(SourceSchema.ACCOUNT, ChangeOp.DELETE, row(id, owner), null);
    }

    static RowImage row(long id, String owner) {
        return new RowImage(new String[]{"ID", "OWNER_NAME", "BALANCE", "STATUS", "OPENED_ON", "UPDATED_AT"},
                new Object[]{id, owner, new BigDecimal("1.0000"), "OPEN", null, LocalDateTime.of(2026, 1, 2, 3, 4, 5)});
    }

    /**
     * The limit into H2 runs with the settings of the configured target URL, which the Replicat's stage uses: the
     * default's WRITE_DELAY=0 writes each commit before it returns, where H2's default writes it up to 500 ms later.
     */
    @org.junit.jupiter.api.Test
    void theH2LimitRunsWithTheConfiguredTargetsSettings() {
        assertEquals(";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0;WRITE_DELAY=0",
                BenchTarget.h2Options("jdbc:h2:file:/h/db/target;AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0;WRITE_DELAY=0"));
        assertEquals("", BenchTarget.h2Options("jdbc:postgresql://127.0.0.1:5432/test"));
        assertEquals("", BenchTarget.h2Options("jdbc:h2:file:/h/db/target"));
        String configured = io.redotrail.runtime.Settings.load(java.nio.file.Path.of("config/application.properties"),
                java.util.Map.of("redotrail.home", home.toString())).get("redotrail.target.jdbcUrl");
        org.junit.jupiter.api.Assertions.assertTrue(BenchTarget.h2Options(configured).contains("WRITE_DELAY=0"), configured);
    }
}
