package io.redotrail.it;

import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItReadBack.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up refusals are abends (issue 9, item 8), through the real command line ({@code run} in its own JVM):
 * a corrupt checkpoint file, a trail cut below its write checkpoint, a MAP that does not match the target, a
 * checkpoint table that is not one, an unreachable target;
 * each names its cause in {@code dirrpt/<GROUP>.rpt} (ERROR OGG-01668 PROCESS ABENDING) and {@code info all}
 * shows the group ABENDED, as for an abend after start. Each fault is undone afterwards and the next run
 * carries on: the refusal changed nothing.
 */
class StartupRefusalIT {
    @TempDir
    Path home;

    @Test
    void refusedStartsAreReportedAndShownAbended() throws Exception {
        Settings s = settings(home);
        long last = play(s, 300, 9).lastSelectedCsn();
        Path log = home.resolve("run.log");
        runUntilApplied(home, s, log, last);

        // a corrupt checkpoint file: the pump refuses to guess where it was
        Path cpe = home.resolve("dirchk/PUMP1.cpe");
        byte[] good = Files.readAllBytes(cpe);
        flipByte(cpe, good.length / 2);
        refused(log, 1, "PUMP1", "PUMP1.cpe");
        Files.write(cpe, good);

        // a remote trail cut below the pump's write checkpoint: recovery refuses to discard durable data
        long[] seqnos = trailSeqnos(home, "ha");
        Path ha = trailFile(home, "ha", seqnos[seqnos.length - 1]);
        byte[] trail = Files.readAllBytes(ha);
        try (RandomAccessFile f = new RandomAccessFile(ha.toFile(), "rw")) {
            f.setLength(trail.length - 100);
        }
        refused(log, 1, "PUMP1", "refusing to discard durable data");
        Files.write(ha, trail);

        // MAP validation against the target fails: run creates missing mapped tables (as target create does) but
        // leaves an existing one as it is, here without the COLMAP column
        sql(s, "CREATE SCHEMA NOSUCH", "CREATE TABLE NOSUCH.ACCOUNT (ACCOUNT_ID BIGINT PRIMARY KEY)");
        refused(log, 1, "REP1", "target table NOSUCH.ACCOUNT has no column ORIGIN",
                "redotrail.replicat.map=MAP YDJK.ACCOUNT, TARGET NOSUCH.ACCOUNT, COLMAP (USEDEFAULTS, ORIGIN = 'SRC');");
        sql(s, "DROP SCHEMA NOSUCH CASCADE");

        // the checkpoint table is not one (a DBA replaced it): the Replicat cannot read its position
        sql(s, "ALTER TABLE GGADMIN.CHECKPOINT RENAME TO CHECKPOINT_SAVED", "CREATE TABLE GGADMIN.CHECKPOINT (X INT)");
        refused(log, 1, "REP1", "cannot open target database");
        sql(s, "DROP TABLE GGADMIN.CHECKPOINT", "ALTER TABLE GGADMIN.CHECKPOINT_SAVED RENAME TO CHECKPOINT");

        // the target cannot be reached (exit 2: the URL is configuration)
        refused(log, 2, "REP1", "cannot connect to target database", "redotrail.target.jdbcUrl=jdbc:h2:tcp://127.0.0.1:1/nothing");

        // every fault undone: the next run starts, catches up, and the statuses are back to normal
        last = play(s, 100, 10).lastSelectedCsn();
        runUntilApplied(home, s, home.resolve("run-after.log"), last);
        String all = execute("ggsci", "--home", home.toString(), "info all").output();
        assertTrue(all.contains("REPLICAT    STOPPED     REP1") && all.contains("EXTRACT     STOPPED     PUMP1"), all);
        assertIdentical(s);
    }

    /** {@code run} exits with {@code exitCode}; the group's report and {@code info all} say it abended, naming {@code cause}. */
    private void refused(Path log, int exitCode, String group, String cause, String... props) throws Exception {
        Path rptFile = home.resolve("dirrpt/" + group + ".rpt");
        long before = Files.exists(rptFile) ? Files.size(rptFile) : 0;
        Process p = startRunJvm(home, log, props);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "run did not refuse to start (" + cause + "); see " + log);
        String out = Files.readString(log);
        assertEquals(exitCode, p.exitValue(), "exit code of a refused start (" + cause + ", " + Arrays.toString(props)
                + "); see " + log + ":\n" + tail(out));
        String rpt = Files.readString(rptFile).substring((int) before);
        assertTrue(rpt.lines().anyMatch(l -> l.contains("ERROR   OGG-01668  PROCESS ABENDING: ") && l.contains(cause)),
                group + ".rpt must name the refusal '" + cause + "':\n" + rpt);
        String all = execute("ggsci", "--home", home.toString(), "info all").output();
        assertTrue(all.lines().anyMatch(l -> l.matches("\\w+ +ABENDED +" + group + "\\b.*")), "info all after '" + cause + "':\n" + all);
        // the extract starts last: it never started, and keeps the status of its last run
        assertTrue(all.lines().anyMatch(l -> l.matches("EXTRACT +STOPPED +EXT1\\b.*")), "info all after '" + cause + "':\n" + all);
    }

    private static void sql(Settings s, String... statements) throws Exception {
        try (Connection c = target(s); Statement st = c.createStatement()) {
            for (String q : statements) st.execute(q);
        }
    }

    private static String tail(String text) {
        String[] l = text.split("\n");
        return String.join("\n", Arrays.copyOfRange(l, Math.max(0, l.length - 30), l.length));
    }
}
