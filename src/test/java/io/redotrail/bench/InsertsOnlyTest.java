package io.redotrail.bench;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.sim.SourceSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's inserts-only trail and the plain insert that is compared with it. */
class InsertsOnlyTest {
    @TempDir
    Path dir;

    /** Mixed transactions: 2 inserts and an update; a delete only; 1 insert; 3 inserts. */
    private static List<Transaction> mixed() {
        return List.of(
                tx(1, ins(1), upd(1), ins(2)),
                tx(2, new RowChange(SourceSchema.ACCOUNT, ChangeOp.DELETE, row(9), null)),
                tx(3, ins(3)),
                tx(4, ins(4), ins(5), ins(6)));
    }

    @Test
    void keepsEachSourceTransactionWithItsInsertsOnly() {
        List<Transaction> in = mixed();
        List<Transaction> out = PrewrittenTrail.insertsOnly(in);
        assertEquals(List.of(1L, 3L, 4L), out.stream().map(t -> t.csn().value()).toList());
        assertEquals(List.of(List.of(ins(1), ins(2)), List.of(ins(3)), List.of(ins(4), ins(5), ins(6))),
                out.stream().map(Transaction::changes).toList());
        Transaction first = out.get(0), src = in.get(0);
        assertEquals(src.xid(), first.xid());
        assertEquals(src.commitTimestampMillis(), first.commitTimestampMillis());
        assertEquals(src.thread(), first.thread());
        assertEquals(src.startPosition(), first.startPosition());
        assertNull(first.trailEnd(), "positions of the other trail are dropped");
    }

    @Test
    void writtenTrailReadsBackWithPositions() {
        List<Transaction> txs = PrewrittenTrail.insertsOnly(mixed());
        PrewrittenTrail.Contents c = PrewrittenTrail.write(dir.resolve("dirdat").resolve("bi"), txs);
        assertEquals(6, c.operations());
        assertEquals(4, c.lastCsn());
        assertEquals(txs.stream().map(Transaction::xid).toList(), c.transactions().stream().map(Transaction::xid).toList());
        assertEquals(txs.stream().map(Transaction::changes).toList(), c.transactions().stream().map(Transaction::changes).toList());
        for (int i = 0; i < c.transactions().size(); i++) {
            assertNotNull(c.transactions().get(i).trailEnd());
            if (i > 0) assertTrue(c.transactions().get(i).trailStart().compareTo(c.transactions().get(i - 1).trailEnd()) >= 0);
        }
    }

    @Test
    void plainInsertCommitsAsOftenAsTheReplicat() throws Exception {
        List<Transaction> txs = PrewrittenTrail.insertsOnly(mixed()); // 2, 1, 3 rows
        assertEquals(3, commits(txs, PlainApply.Commits.asReplicat(1)), "after every transaction");
        assertEquals(2, commits(txs, PlainApply.Commits.asReplicat(3)), "after 2+1 rows, then after 3");
        assertEquals(1, commits(txs, PlainApply.Commits.asReplicat(100)), "once at the end");
        assertEquals(3, commits(txs, new PlainApply.Commits(2, false)), "every 2 rows, inside transactions too");
        assertEquals(1, commits(txs, PlainApply.FASTEST));
    }

    /** Runs the plain insert into a fresh in-memory H2 database; checks the rows and returns the commits made. */
    private int commits(List<Transaction> txs, PlainApply.Commits policy) throws Exception {
        String url = "jdbc:h2:mem:plain" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        AtomicInteger commits = new AtomicInteger();
        try (Connection real = DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = real.createStatement()) {
                for (String sql : SourceSchema.demo().createStatements()) s.execute(sql);
            }
            Connection counting = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (p, m, args) -> {
                        if (m.getName().equals("commit")) commits.incrementAndGet();
                        try {
                            return m.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            PlainApply.run(counting, txs, policy);
            try (Statement s = real.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(ID) FROM " + SourceSchema.ACCOUNT + " WHERE OWNER_NAME LIKE 'owner %'")) {
                r.next();
                assertEquals(6, r.getLong(1));
                assertEquals(21, r.getLong(2));
            }
            try (Statement s = real.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
        return commits.get();
    }

    private static Transaction tx(long csn, RowChange... changes) {
        return new Transaction(Xid.parse("1.2." + csn), Scn.of(csn), 1_000 * csn, 1, List.of(changes), new RedoPosition(1, 7, 100 * csn));
    }

    private static RowChange ins(long id) {
        return new RowChange(SourceSchema.ACCOUNT, ChangeOp.INSERT, null, row(id));
    }

    private static RowChange upd(long id) {
        return new RowChange(SourceSchema.ACCOUNT, ChangeOp.UPDATE, row(id), row(id));
    }

    private static RowImage row(long id) {
        return new RowImage(new String[]{"ID", "OWNER_NAME", "BALANCE", "STATUS", "OPENED_ON", "UPDATED_AT"},
                new Object[]{id, "owner " + id, new BigDecimal("12.3400"), "OPEN", id % 2 == 0 ? null : LocalDate.of(2020, 1, (int) id),
                        LocalDateTime.of(2026, 1, 2, 3, 4, 5)});
    }
}
