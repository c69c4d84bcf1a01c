package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A source transaction too large for the heap passes the pump and the Replicat whole and exactly once. The local
 * trail holds a small transaction, then one of 2,000,000 rows (every tenth on a table the pump does not select),
 * then another small one. Pump and Replicat run in one JVM of their own at {@code -Xmx256m}, exiting on
 * OutOfMemoryError: their trail readers spill the big transaction to {@code dirtmp/<GROUP>/}, the pump filters
 * and writes it streamed, the Replicat applies it in one target transaction. The JVM is killed with SIGKILL while
 * the Replicat's reader spills it, and started again. Then the target holds exactly the selected rows, once
 * (count and sum of the keys), and the checkpoint table the last CSN. The target is H2 as a server in this JVM
 * (kill -9 kills the Replicat, not the database). {@code -Dit.bigTx.rows=N} scales the big transaction.
 */
class BigTransactionPipelineIT {
    private static final long BIG_ROWS = Long.getLong("it.bigTx.rows", 2_000_000L);
    private static final long FIRST_ID = 1_000_000;

    @TempDir
    Path home;

    @Test
    void aTwoMillionRowTransactionPassesPumpAndReplicatAt256MbAcrossAKill() throws Exception {
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists",
                "-baseDir", Files.createDirectories(home.resolve("db")).toString()).start();
        try {
            String url = "jdbc:h2:tcp://localhost:" + server.getPort() + "/target;DB_CLOSE_DELAY=-1";
            Settings s = settings(home, "redotrail.target.jdbcUrl", url);
            CliAccess.prepareHome(s);
            long lastCsn = writeLocalTrail();

            Path log = PROJECT.resolve("target/it-logs/BigTransactionPipelineIT-run.log");
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            List<String> jvm = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
            String[] props = {"camel.main.routes-include-pattern=file:routes/pump.yaml,file:routes/replicat.yaml",
                    "redotrail.target.jdbcUrl=" + url, "redotrail.trail.spillRows=" + System.getProperty("it.spillRows", "50000")};
            Process first = startRunJvm(home, log, jvm, props);
            Path replicatSpill = home.resolve("dirtmp").resolve(REPLICAT);
            await("the Replicat's trail reader to spill the big transaction", Duration.ofMinutes(10), () -> {
                assertTrue(first.isAlive(), "pump+replicat JVM died (OutOfMemoryError?), see " + log);
                return spillFiles(replicatSpill) > 0;
            }, () -> "LOG_CSN " + logCsn(s));
            first.destroyForcibly(); // kill -9 while the big transaction is being read
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            assertTrue(logCsn(s) < lastCsn, "killed before the big transaction was applied");

            Process second = startRunJvm(home, log, jvm, props);
            await("LOG_CSN " + lastCsn, Duration.ofMinutes(10), () -> {
                assertTrue(second.isAlive(), "pump+replicat JVM died (OutOfMemoryError?), see " + log);
                return logCsn(s) >= lastCsn;
            }, () -> "LOG_CSN " + logCsn(s));
            second.destroy();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "graceful stop");
            String text = Files.readString(log);
            assertFalse(text.contains("OutOfMemoryError"), "OutOfMemoryError, see " + log);

            long selected = BIG_ROWS - (BIG_ROWS + 9) / 10;
            long expectedCount = 2 + selected;
            long expectedSum = 1 + 2; // the small transactions' keys
            for (long i = 0; i < BIG_ROWS; i++) if (i % 10 != 0) expectedSum += FIRST_ID + i;
            try (Connection c = target(s); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT COUNT(*), SUM(ID) FROM " + SourceSchema.TRANSFER)) {
                rs.next();
                assertEquals(expectedCount, rs.getLong(1), "every selected row, once");
                assertEquals(expectedSum, rs.getLong(2), "the right rows");
            }
            assertEquals(lastCsn, logCsn(s), "checkpoint table holds the last CSN");
        } finally {
            server.stop();
        }
    }

    /** Writes the local trail dirdat/ex as the extract would; returns the last CSN. */
    private long writeLocalTrail() {
        Transaction before = new Transaction(new Xid(1, 1, 1), Scn.of(100), System.currentTimeMillis(), 1,
                List.of(transfer(1)), null);
        Transaction big = new Transaction(new Xid(1, 2, 2), Scn.of(200), System.currentTimeMillis(), 1, bigChanges(), null);
        Transaction after = new Transaction(new Xid(1, 3, 3), Scn.of(300), System.currentTimeMillis(), 1,
                List.of(transfer(2)), null);
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat").resolve("ex"), "EXT1", TrailFormat.DEFAULT_MAX_FILE_BYTES)) {
            w.append(List.of(before, big, after));
        }
        return 300;
    }

    /** The big transaction's rows, made while the trail writer streams them (never all on the heap). */
    private static StreamedChanges bigChanges() {
        return new StreamedChanges() {
            @Override
            public Iterator<RowChange> iterator() {
                return new Iterator<>() {
                    long i;

                    @Override
                    public boolean hasNext() {
                        return i < BIG_ROWS;
                    }

                    @Override
                    public RowChange next() {
                        if (i >= BIG_ROWS) throw new NoSuchElementException();
                        long n = i++;
                        RowChange t = transfer(FIRST_ID + n);
                        return n % 10 == 0 ? new RowChange("SCRATCH.NOTE", ChangeOp.INSERT, null, t.after()) : t;
                    }
                };
            }

            @Override
            public int size() {
                return (int) BIG_ROWS;
            }
        };
    }

    private static RowChange transfer(long id) {
        return new RowChange(SourceSchema.TRANSFER, ChangeOp.INSERT, null, new RowImage(
                new String[]{"ID", "FROM_ACCOUNT", "TO_ACCOUNT", "AMOUNT", "MEMO", "CREATED_AT"},
                new Object[]{id, id % 97, id % 89, new BigDecimal(id % 100_000).movePointLeft(2), "transfer " + id,
                        LocalDateTime.of(2026, 12, 1, 8, 0).plusSeconds(id % 86_400)}));
    }

    private static long spillFiles(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("trail-")).count();
        } catch (java.io.IOException e) {
            return 0; // a file vanished while listing
        }
    }
}
