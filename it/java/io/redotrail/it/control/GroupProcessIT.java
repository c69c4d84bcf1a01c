package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.cli.CliAccess;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupStatus;
import io.redotrail.report.PidFile;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItReadBack.assertExactlyCommitted;
import static io.redotrail.it.ItDatabases.assertIdentical;
import static io.redotrail.it.ItSupport.await;
import static io.redotrail.it.ItJvms.cliJvm;
import static io.redotrail.it.ItSupport.logCsn;
import static io.redotrail.it.ItSupport.play;
import static io.redotrail.it.ItReadBack.readRedo;
import static io.redotrail.it.ItReadBack.readTrail;
import static io.redotrail.it.ItSupport.settings;
import static io.redotrail.it.ItJvms.startJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One JVM per group ({@code bin/redotrail process GROUP}), as the Manager runs them: groups defined by their
 * checkpoint files as GGSCI ADD writes them (contract 1, written here with CheckpointFile), parameter files in
 * dirprm/, the Replicat's target by USERIDALIAS from the credential store (a password-protected H2 database).
 * Extract, pump and Replicat replicate a workload row for row; kill -9 of the Replicat leaves the other two
 * running, and its restart catches up with nothing lost or doubled; the password is nowhere in the store file,
 * the reports or any process output. A parameter file with an unknown statement is refused (exit 2) naming file
 * and line on stderr and in the report, and the group shows ABENDED.
 */
class GroupProcessIT {
    private static final String SECRET = "Gg-It-" + Long.toHexString(System.nanoTime()) + "-pw";
    private static final Duration CATCH_UP = Duration.ofSeconds(240);

    @TempDir
    Path home;

    private final List<Path> logs = new ArrayList<>();

    private Path log(String group) throws Exception {
        Path log = PROJECT.resolve("target/it-logs/GroupProcessIT-" + group + ".log");
        Files.createDirectories(log.getParent());
        if (!logs.contains(log)) {
            Files.deleteIfExists(log);
            logs.add(log);
        }
        return log;
    }

    private Process process(String group) throws Exception {
        return startJvm(log(group), "process", "--home", home.toString(), group);
    }

    private void prm(String group, String text) throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm").resolve(group.toLowerCase() + ".prm"), text);
    }

    /** The checkpoint files GGSCI ADD EXTRACT / ADD EXTTRAIL / ADD RMTTRAIL / ADD REPLICAT write (contract 1). */
    private void addGroups() {
        long now = System.currentTimeMillis();
        TrailPosition zero = new TrailPosition(0, 0);
        // ADD EXTRACT EXT1, TRANLOG, BEGIN <start of the redo>; ADD EXTTRAIL ./dirdat/ex, EXTRACT EXT1, MEGABYTES 1
        new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT", List.of(), null,
                List.of(new WriteCheckpoint("./dirdat/ex", zero, now, "EXTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        // ADD EXTRACT PUMP1, EXTTRAILSOURCE ./dirdat/ex; ADD RMTTRAIL ./dirdat/ha, EXTRACT PUMP1, MEGABYTES 1
        new CheckpointFile(CheckpointFile.extractFile(home, "PUMP1")).write(new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(),
                new TrailReadCheckpoint("./dirdat/ex", zero, now, zero, now),
                List.of(new WriteCheckpoint("./dirdat/ha", zero, now, "RMTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        // ADD REPLICAT REP1, EXTTRAIL ./dirdat/ha
        new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", zero, now, zero, now), List.of(), null, null, null, now, now, 'G'));
    }

    @Test
    void extractPumpAndReplicatInThreeJvmsAndAKilledReplicatCatchesUp() throws Exception {
        String targetUrl = "jdbc:h2:file:" + home.resolve("db/tgt") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
        Settings s = settings(home, "redotrail.target.jdbcUrl", targetUrl, "redotrail.target.user", "sa",
                "redotrail.target.password", SECRET);
        List<CliAccess.Played> plays = new ArrayList<>();
        plays.add(play(s, 400, 11)); // the home, the source, and the target's tables (a database with a password)
        // the databases outlive the group processes: this JVM holds them open and hosts them (H2 AUTO_SERVER)
        Connection targetServer = DriverManager.getConnection(targetUrl, "sa", SECRET);
        Connection sourceServer = DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(home), "sa", "");

        List<String> ggsciOut = new ArrayList<>();
        for (String cmd : List.of("add credentialstore",
                "alter credentialstore add user sa@" + targetUrl + " password " + SECRET + " alias tgt",
                "info credentialstore")) {
            var r = cliJvm(Duration.ofSeconds(60), List.of(), "ggsci", "--home", home.toString(), cmd);
            assertEquals(0, r.exitCode(), r.output());
            ggsciOut.add(r.output());
        }
        assertTrue(ggsciOut.get(2).contains("Alias: tgt") && ggsciOut.get(2).contains("Userid: sa@jdbc:h2:file:"), ggsciOut.get(2));

        addGroups();
        prm("EXT1", """
                EXTRACT ext1
                EXTTRAIL ./dirdat/ex
                BR BRINTERVAL 4H
                WARNLONGTRANS 1H, CHECKINTERVAL 5M
                TABLE *.*;
                """);
        prm("PUMP1", """
                extract pump1
                passthru
                rmttrail ./dirdat/ha
                NUMFILES 3000
                table YDJK.*;
                table POS_USER9.*;
                """);
        prm("REP1", """
                REPLICAT REP1
                USERIDALIAS tgt
                GROUPTRANSOPS 100
                MAP YDJK.*, TARGET YDJK.*;
                MAP POS_USER9.*, TARGET POS_USER9.*;
                """);
        Process rep = process("REP1");
        Process pump = process("PUMP1");
        Process ext = process("EXT1");
        try {
            plays.add(play(s, 1500, 12));
            awaitApplied(s, plays, List.of(ext, pump, rep));
            for (String g : List.of("EXT1", "PUMP1", "REP1")) {
                assertEquals("RUNNING", GroupStatus.of(home, g, null).status(), g);
            }
            var second = cliJvm(Duration.ofSeconds(120), List.of(), "process", "--home", home.toString(), "PUMP1");
            assertEquals(2, second.exitCode(), "a second process of a running group is refused: " + second.output());
            assertTrue(second.output().contains("PUMP1 refused, nothing started") && second.output().contains("already running"),
                    second.output());
            assertTrue(pump.isAlive(), "the running pump is left alone");

            // kill -9 while the Replicat applies a workload that is still being played
            long before = plays.get(plays.size() - 1).lastSelectedCsn();
            CompletableFuture<CliAccess.Played> playing = CompletableFuture.supplyAsync(() -> play(s, 3000, 13));
            Process applying = rep;
            await("REP1 to apply the first transaction of the new workload", CATCH_UP, () -> {
                assertTrue(applying.isAlive(), "the Replicat exited; see " + logs);
                return logCsn(s) > before;
            }, () -> "LOG_CSN " + logCsn(s));
            rep.destroyForcibly();
            assertTrue(rep.waitFor(30, TimeUnit.SECONDS), "killed Replicat did not exit");
            assertEquals(137, rep.exitValue(), "the Replicat must die of SIGKILL (128+9)");
            long appliedAtKill = logCsn(s);
            System.out.println("REP1 killed at LOG_CSN " + appliedAtKill + ", workload " + (playing.isDone() ? "played" : "still playing"));
            plays.add(playing.get(5, TimeUnit.MINUTES));
            long last = plays.get(plays.size() - 1).lastSelectedCsn();
            assertTrue(appliedAtKill < last, "killed before the workload was applied");
            // capture and delivery go on without the Replicat: the pump's trail gets the new transactions
            Process pumping = pump;
            await("the pump to deliver CSN " + last + " to dirdat/ha while the Replicat is down", CATCH_UP, () -> {
                assertTrue(ext.isAlive() && pumping.isAlive(), "extract or pump exited; see " + logs);
                return readTrail(home, "ha").stream().anyMatch(t -> t.csn().value() == last);
            }, () -> "ha holds " + readTrail(home, "ha").size() + " transactions");
            assertEquals(appliedAtKill, logCsn(s), "nothing applied while the Replicat was down");
            assertEquals("ABENDED", GroupStatus.of(home, "REP1", null).status(), "a killed group is ABENDED");

            rep = process("REP1");
            awaitApplied(s, plays, List.of(ext, pump, rep));

            // SEND FORCESTOP: the pump stops at once, its checkpoints as a kill leaves them; its restart recovers
            var forced = cliJvm(Duration.ofSeconds(60), List.of(), "ggsci", "--home", home.toString(), "send extract pump1, forcestop");
            assertEquals(0, forced.exitCode(), forced.output());
            assertTrue(forced.output().contains("Sending FORCESTOP request to EXTRACT PUMP1 ...") && forced.output().contains("Request processed."),
                    forced.output());
            assertTrue(pump.waitFor(60, TimeUnit.SECONDS), "FORCESTOP did not end the pump; see " + logs);
            assertEquals(0, pump.exitValue());
            assertEquals("STOPPED", GroupStatus.of(home, "PUMP1", null).status(), "the operator stopped it");
            assertTrue(Files.readString(home.resolve("ggserr.log")).contains("EXTRACT PUMP1 stopped by FORCESTOP"));
            pump = process("PUMP1");
            plays.add(play(s, 300, 14));
            awaitApplied(s, plays, List.of(ext, pump, rep));
        } finally {
            for (Process p : List.of(ext, pump, rep)) p.destroy(); // SIGTERM: graceful
            for (Process p : List.of(ext, pump, rep)) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a group process did not stop on SIGTERM; see " + logs);
            }
        }
        for (Process p : List.of(ext, pump, rep)) assertEquals(0, p.exitValue(), "exit after SIGTERM; see " + logs);
        for (String g : List.of("EXT1", "PUMP1", "REP1")) {
            assertEquals("STOPPED", GroupStatus.of(home, g, null).status(), g);
            String rpt = Files.readString(home.resolve("dirrpt/" + g + ".rpt"));
            assertTrue(rpt.contains("Running with the following parameters"), g + " report:\n" + rpt);
            assertFalse(rpt.contains("ABENDING"), g + " report:\n" + rpt);
        }
        assertTrue(Files.readString(home.resolve("dirrpt/REP1.rpt")).contains("USERIDALIAS tgt"));
        // no Manager here: the groups logged their own events
        String events = Files.readString(home.resolve("ggserr.log"));
        for (String e : List.of("INFO    OGG-00993  redotrail Delivery, rep1.prm:  REPLICAT REP1 started.",
                "INFO    OGG-00991  redotrail Capture, ext1.prm:  EXTRACT EXT1 stopped normally.")) {
            assertTrue(events.contains(e), "ggserr.log lacks '" + e + "':\n" + events);
        }
        targetServer.close();
        sourceServer.close();

        assertIdentical(s);
        var redo = readRedo(home);
        assertEquals(redo.lastCsn(), logCsn(s), "LOG_CSN of REP1 = the last committed CSN");
        assertExactlyCommitted(readTrail(home, "ex"), redo, "local trail dirdat/ex");
        assertExactlyCommitted(readTrail(home, "ha"), redo, "remote trail dirdat/ha");
        assertTrue(readTrail(home, "ha").size() > 0 && Files.exists(home.resolve("dirdat/ha000000001")),
                "MEGABYTES 1 of ADD RMTTRAIL rolls the trail over");

        // the password: never at rest in clear, never in a report, never in any output
        List<Path> files = new ArrayList<>(logs);
        files.add(home.resolve("dircrd/cwallet.sso"));
        try (Stream<Path> rpt = Files.list(home.resolve("dirrpt"))) {
            rpt.forEach(files::add);
        }
        try (Stream<Path> chk = Files.list(home.resolve("dirchk"))) {
            chk.forEach(files::add);
        }
        for (Path f : files) {
            assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(SECRET), "the password is in " + f);
        }
        for (String o : ggsciOut) assertFalse(o.contains(SECRET), "the password is in GGSCI's output:\n" + o);
    }

    private void awaitApplied(Settings s, List<CliAccess.Played> plays, List<Process> processes) {
        long last = plays.get(plays.size() - 1).lastSelectedCsn();
        await("REP1 to apply CSN " + last, CATCH_UP, () -> {
            for (Process p : processes) assertTrue(p.isAlive(), "a group process exited; see " + logs);
            return logCsn(s) >= last;
        }, () -> "LOG_CSN " + logCsn(s));
    }

    @Test
    void anUnknownParameterIsRefusedNamingFileAndLine() throws Exception {
        long now = System.currentTimeMillis();
        TrailPosition zero = new TrailPosition(0, 0);
        new CheckpointFile(CheckpointFile.replicatFile(home, "REP9")).write(new ProcessCheckpoint("REP9", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", zero, now, zero, now), List.of(), null, null, null, now, now, 'G'));
        prm("REP9", "REPLICAT rep9\n-- target: the home's H2\nSPEEDUP 11\nMAP *.*, TARGET *.*;\n");
        var r = cliJvm(Duration.ofSeconds(120), List.of(), "process", "--home", home.toString(), "REP9");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("rep9.prm line 3: unknown parameter SPEEDUP"), r.output());
        String rpt = Files.readString(home.resolve("dirrpt/REP9.rpt"));
        assertTrue(rpt.contains("Running with the following parameters") && rpt.contains("SPEEDUP 11"), rpt);
        assertTrue(rpt.contains("OGG-01668  PROCESS ABENDING: ") && rpt.contains("rep9.prm line 3: unknown parameter SPEEDUP"), rpt);
        assertTrue(PidFile.read(PidFile.pathOf(home, "REP9")).orElseThrow().abended());
        var info = cliJvm(Duration.ofSeconds(60), List.of(), "ggsci", "--home", home.toString(), "info all");
        assertTrue(info.output().matches("(?s).*REPLICAT\\s+ABENDED\\s+REP9.*"), info.output());

        var unknown = cliJvm(Duration.ofSeconds(120), List.of(), "process", "--home", home.toString(), "NOSUCH");
        assertEquals(2, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("EXTRACT/REPLICAT group NOSUCH does not exist: ADD it with GGSCI"), unknown.output());
    }
}
