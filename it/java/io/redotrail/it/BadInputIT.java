package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configuration and bad data stop the command or the group with a message naming what is wrong; nothing is skipped. */
class BadInputIT {
    @TempDir
    Path home;

    @Test
    void malformedConfigValueExitsTwoNamingFileAndKey() throws Exception {
        Path config = configWith(home.resolveSibling(home.getFileName() + "-bad.properties"), "redotrail.redo.logSizeMb", "abc");
        Cli r = execute("demo", "--home", home.toString(), "--config", config.toString(), "--transactions", "10");
        assertEquals(2, r.exitCode(), "exit code for a malformed value; output:\n" + r.output());
        assertTrue(r.output().contains(config.toString()), "message must name the file " + config + ":\n" + r.output());
        assertTrue(r.output().contains("redotrail.redo.logSizeMb"), "message must name the key:\n" + r.output());
        assertTrue(r.output().contains("abc"), "message should show the bad value:\n" + r.output());
    }

    @Test
    void missingRoutesFolderExitsTwoNamingTheFolder() throws Exception {
        Path config = configWith(home.resolveSibling(home.getFileName() + "-noroutes.properties"),
                "camel.main.routes-include-pattern", "file:/nonexistent/*.yaml");
        Cli r = execute("demo", "--home", home.toString(), "--config", config.toString(), "--transactions", "10");
        assertEquals(2, r.exitCode(), "exit code for a missing routes folder; output:\n" + r.output());
        assertTrue(r.output().contains("/nonexistent"), "message must name the folder:\n" + r.output());
        assertTrue(r.output().contains("routes folder"), "message must say what is missing:\n" + r.output());
    }

    @Test
    void unknownTargetTableAbendsReplicatNamingTableAndTrailPositionAndAppliesNothingAfter() throws Exception {
        Settings s = settings(home);
        CliAccess.Played played = play(s, 1500, 31);
        try (Connection c = target(s); Statement st = c.createStatement()) {
            st.execute("DROP TABLE POS_USER9.ORDER_LINE");
        }
        long applied;
        String abend;
        try (Pipeline p = Pipeline.start(s)) {
            ReplicatApplier rep = replicat(p);
            abend = awaitAbend(p, Duration.ofSeconds(60));
            sleep(500); // give a wrongly continuing replicat time to apply more
            applied = rep.getAppliedTransactions();
        }
        System.out.println("abend: " + abend);
        List<Transaction> ha = readTrail(home, "ha");
        assertEquals(played.stats().committedTransactions(), ha.size(), "the pump delivered everything to ha");
        Transaction bad = ha.stream().filter(t -> t.changes().stream().anyMatch(c -> c.table().equals("POS_USER9.ORDER_LINE")))
                .findFirst().orElseThrow(() -> new AssertionError("workload never touched ORDER_LINE"));
        assertTrue(abend.startsWith("REP1: "), "the replicat must abend: " + abend);
        assertTrue(abend.contains("POS_USER9.ORDER_LINE"), "message must name the table: " + abend);
        assertTrue(abend.contains(bad.trailStart().toString()),
                "message must name the trail position (" + bad.trailStart() + "): " + abend);
        long logCsn = logCsn(s);
        assertTrue(logCsn < bad.csn().value(), "LOG_CSN " + logCsn + " must stay below the failing CSN " + bad.csn());
        long before = ha.stream().filter(t -> t.csn().value() <= logCsn).count();
        assertEquals(before, applied, "applied transactions = trail transactions up to LOG_CSN");
        // the target holds exactly the trail prefix up to LOG_CSN: net inserts per table
        Map<String, Long> expected = new HashMap<>();
        for (Transaction t : ha) {
            if (t.csn().value() > logCsn) break;
            for (RowChange ch : t.changes()) {
                long d = ch.op() == ChangeOp.INSERT ? 1 : ch.op() == ChangeOp.DELETE ? -1 : 0;
                expected.merge(ch.table(), d, Long::sum);
            }
        }
        try (Connection c = target(s); Statement st = c.createStatement()) {
            for (String table : List.of("YDJK.ACCOUNT", "YDJK.TRANSFER", "POS_USER9.ORDERS")) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    assertEquals(expected.getOrDefault(table, 0L), rs.getLong(1),
                            table + ": target rows = net inserts of the trail up to LOG_CSN " + logCsn);
                }
            }
        }
    }

    @Test
    void flippedByteMidTrailAbendsNamingFileAndPositionAndSkipsNothing() throws Exception {
        Settings s = settings(home);
        CliAccess.Played played = play(s, 1500, 41);
        try (Pipeline p = Pipeline.start(s, "file:routes/extract.yaml")) {
            await("extract to write every committed transaction", Duration.ofSeconds(60),
                    () -> readTrail(home, "ex").size() == played.stats().committedTransactions(), () -> "");
        }
        List<Transaction> ex = readTrail(home, "ex");
        Path file = trailFile(home, "ex", 0);
        Transaction hit = ex.get(ex.size() / 2);
        long offset = (hit.trailStart().rba() + hit.trailEnd().rba()) / 2;
        flipByte(file, offset);
        String abend;
        try (Pipeline p = Pipeline.start(s)) {
            abend = awaitAbend(p, Duration.ofSeconds(60));
            sleep(500);
        } catch (IllegalStateException e) { // a group may refuse to start
            abend = chain(e);
        }
        System.out.println("abend after flipping byte " + offset + " of " + file + ": " + abend);
        assertTrue(abend.contains(file.toString()), "message must name " + file + ": " + abend);
        var m = java.util.regex.Pattern.compile("at byte (\\d+)").matcher(abend);
        assertTrue(m.find(), "message must name the position: " + abend);
        long pos = Long.parseLong(m.group(1));
        assertTrue(pos >= hit.trailStart().rba() && pos <= offset, "position " + pos + " must be the corrupt record, within ["
                + hit.trailStart().rba() + ", " + offset + "]: " + abend);
        List<Transaction> ha = readTrail(home, "ha");
        int k = ex.indexOf(hit);
        assertTrue(ha.size() <= k, "ha holds " + ha.size() + " transactions, beyond the corrupt one at index " + k);
        assertEquals(ex.subList(0, ha.size()).stream().map(Transaction::xid).toList(), ha.stream().map(Transaction::xid).toList(),
                "ha is a gap-free prefix of ex");
        assertTrue(logCsn(s) < hit.csn().value(), "LOG_CSN must stay below the corrupt transaction's CSN " + hit.csn());
    }
}
