package io.redotrail.it.control;

import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.it.ItSupport;
import io.redotrail.it.ItReadBack;
import io.redotrail.it.ItJvms;
import io.redotrail.it.ItDatabases;
import io.redotrail.pump.TablePatterns;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.scenario.ScriptedSource;
import io.redotrail.sim.ColumnDef;
import io.redotrail.sim.ColumnType;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.TableComparer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000 end to end, every program a JVM of its own: GGSCI ({@code bin/redotrail ggsci}, one JVM per command)
 * starts the Manager in the background ({@code start mgr}), the Manager starts one JVM per group. EXTA writes 1 MB
 * trail files and PUMA (the seed's existing pump) reads them while the Manager purges the files PUMA has finished;
 * the source session (this JVM, as a database would be) writes six insert transactions into YDJK.MYOBJECTS, each
 * larger than a trail file (a transaction never spans two files: ex000000000..ex000000005). Then the seed's GGSCI
 * lines verbatim: PUMHA added with EXTTRAILSOURCE starts at seqno 0, which is purged; it runs and waits, STATS
 * says "No active extraction maps.", its report has OGG-01052 and our hint naming ex000000000, the first existing
 * seqno and the exact ALTER; {@code info exta, showch} gives the extract's write Sequence #; stop, the ALTER with
 * that seqno (the first existing one, so nothing still on disk is lost), start. REPA then replicates into the
 * home's H2 target. Exact checks: the demo tables, which only transactions after the ALTER wrote, equal the
 * source row for row; YDJK.MYOBJECTS on the target holds exactly the rows of the transactions in the ex files from
 * the ALTER point on plus the one written after it; every transaction of those files reached the pump's trail.
 * Also {@code lag exta} idle and caught up: "At EOF", and zero checkpoint lag in {@code info all}, which lists
 * MANAGER first.
 */
class Seed000IT {
    private static final String MYOBJECTS = "YDJK.MYOBJECTS";
    private static final int ROWS = 16_000;

    private Path home;

    private ItJvms.Cli ggsci(String command) throws Exception {
        return ItJvms.ggsci(home, Duration.ofSeconds(400), command);
    }

    private String ok(String command) throws Exception {
        return ItJvms.ggsciOk(home, Duration.ofSeconds(400), command);
    }

    private String awaitOutput(String command, String text, Duration timeout) {
        String[] last = {""};
        await("'" + command + "' to print " + text, timeout, () -> {
            try {
                last[0] = ggsci(command).output();
            } catch (Exception e) {
                last[0] = e.toString();
            }
            boolean hit = last[0].contains(text);
            // each poll is a GGSCI JVM: a pause between them leaves the CPU to the groups being waited for
            if (!hit) ItSupport.sleep(1000);
            return hit;
        }, () -> last[0] + "\nggserr.log:\n" + read(home.resolve("ggserr.log")));
        return last[0];
    }

    @Test
    void seed000Verbatim() throws Exception {
        home = PROJECT.resolve("target/it-homes/Seed000IT");
        deleteTree(home);
        Settings settings = ItSupport.settings(home, "redotrail.replicat.group", "REPA");
        assertTrue(ok("create subdirs").contains("Creating subdirectories under home directory " + home));
        int port = ManagerJvm.freePort();
        ManagerJvm.writeMgrPrm(home, "PORT " + port + "\nAUTORESTART ER *\n"
                + "PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS, MINKEEPFILES 1, FREQUENCYSECONDS 1\n");
        // the shipped examples: EXTA and, below, PUMHA and REPA as the docs tell users to copy them
        Files.copy(PROJECT.resolve("config/dirprm/exta.prm"), home.resolve("dirprm/exta.prm"));
        Files.writeString(home.resolve("dirprm/puma.prm"), "EXTRACT puma\nPASSTHRU\nRMTTRAIL ./dirdat/pa\nTABLE YDJK.*;\nTABLE POS_USER9.*;\n");

        List<TableDef> tables = new ArrayList<>(SourceSchema.demo().tables());
        tables.add(new TableDef(MYOBJECTS, List.of(new ColumnDef("OBJECT_ID", "BIGINT", ColumnType.LONG, false),
                new ColumnDef("OBJECT_NAME", "VARCHAR(128)", ColumnType.STRING, false),
                new ColumnDef("OBJECT_TYPE", "VARCHAR(23)", ColumnType.STRING, true)), List.of("OBJECT_ID"), null));
        TablePatterns selected = TablePatterns.parse(settings.get("redotrail.pump.tables"));
        try (ScriptedSource source = new ScriptedSource(home, new SourceSchema(tables), 1, t -> HomeSetup.redoConfig(settings, t),
                Clock.systemUTC(), selected::matches)) {
            ItJvms.Cli target = ItJvms.cliJvm(Duration.ofSeconds(120), List.of(), "target", "create", "--home", home.toString());
            assertEquals(0, target.exitCode(), target.output());
            try {
                run(settings, source);
            } finally {
                ggsci("stop mgr!"); // whatever happened: no Manager or group left behind
            }
        }
    }

    private void run(Settings settings, ScriptedSource source) throws Exception {
        assertEquals("Manager started.", ok("start mgr").strip());
        long mgrPid = io.redotrail.report.GroupLock.read(home, "MGR").flatMap(io.redotrail.report.PidFile::parse)
                .map(io.redotrail.report.PidFile::pid).orElseThrow();
        assertTrue(ProcessHandle.of(mgrPid).map(ProcessHandle::isAlive).orElse(false), "the Manager outlives the GGSCI that started it");
        ok("add extract exta, tranlog, begin now");
        ok("add exttrail ./dirdat/ex, extract exta, megabytes 1");
        ok("add extract puma, exttrailsource ./dirdat/ex");
        ok("add rmttrail ./dirdat/pa, extract puma, megabytes 50");
        ok("start exta");
        ok("start puma");
        awaitOutput("info all", "EXTRACT     RUNNING     PUMA ", Duration.ofSeconds(180));

        for (int t = 1; t <= 6; t++) {
            source.insertRows("T" + t, MYOBJECTS, ROWS);
            source.commit("T" + t);
        }
        // PUMA reads all six; the Manager purges every file but the one EXTA writes (MINKEEPFILES 1)
        // (the Manager deletes a file, then writes its OGG-00957 line: wait for both)
        await("ex000000000..ex000000004 purged and logged", Duration.ofSeconds(300),
                () -> ItReadBack.trailSeqnos(home, "ex").length == 1 && ItReadBack.trailSeqnos(home, "ex")[0] == 5
                        && read(home.resolve("ggserr.log")).contains("Purged old extract file './dirdat/ex000000004'"),
                () -> "ex files " + java.util.Arrays.toString(ItReadBack.trailSeqnos(home, "ex")) + "\n" + read(home.resolve("ggserr.log")));
        String ggserr = read(home.resolve("ggserr.log"));
        for (int s = 0; s < 5; s++) assertTrue(ggserr.contains("Purged old extract file './dirdat/ex00000000" + s + "'"), ggserr);
        assertFalse(ggserr.contains("ex000000005'"), "the file EXTA writes is kept: " + ggserr);

        // ---- seed 000, verbatim
        assertTrue(ok("info all").contains("EXTRACT     RUNNING     EXTA "));
        ok("add extract pumha, exttrailsource ./dirdat/ex");
        ok("add rmttrail ./dirdat/ha, extract pumha, megabytes 50");
        Files.copy(PROJECT.resolve("config/dirprm/pumha.prm"), home.resolve("dirprm/pumha.prm"));
        ok("start pumha");
        awaitOutput("info all", "EXTRACT     RUNNING     PUMHA ", Duration.ofSeconds(180)); // STARTING before: RUNNING answers STATS
        String stats = ok("stats pumha");
        assertTrue(stats.contains("Sending STATS request to EXTRACT PUMHA ...") && stats.contains("No active extraction maps."), stats);
        String report = awaitOutput("view report pumha", ", EXTRBA 0", Duration.ofSeconds(120));
        assertTrue(report.contains("INFO    OGG-01052  No recovery is required for target file ./dirdat/ha000000000, at RBA 0 (file not opened)."), report);
        Matcher hint = Pattern.compile("Waiting for trail file \\./dirdat/ex000000000 \\(read checkpoint Sequence # 0\\), which does not exist;"
                + " the first existing file of trail \\./dirdat/ex is Sequence # (\\d+) \\(\\./dirdat/ex(\\d{9})\\)\\..*reposition with:"
                + " ALTER EXTRACT PUMHA, EXTSEQNO (\\d+), EXTRBA 0").matcher(report);
        assertTrue(hint.find(), report);
        long first = Long.parseLong(hint.group(1));
        assertEquals(first, Long.parseLong(hint.group(2)));
        assertEquals(first, Long.parseLong(hint.group(3)));
        assertEquals(ItReadBack.trailSeqnos(home, "ex")[0], first, "the hint names the first existing file");

        String showch = ok("info exta, showch");
        Matcher write = Pattern.compile("Current Checkpoint \\(current write position\\):\\s+Sequence #: (\\d+)").matcher(showch);
        assertTrue(write.find(), showch);
        assertEquals(first, Long.parseLong(write.group(1)), "EXTA writes the first existing file: the seed's 2287");

        ok("stop pumha");
        // what the ALTER point carries: every transaction of the ex files from seqno `first` on (none is written now)
        List<Transaction> fromAlter = ItReadBack.readTrail(home.resolve("dirdat/ex"), new TrailPosition(first, 0));
        assertFalse(fromAlter.isEmpty(), "the files from the ALTER point hold transactions");
        ok("alter extract pumha,extseqno " + first + ", extrba 0");
        ok("start pumha");

        ok("add replicat repa, exttrail ./dirdat/ha");
        Files.copy(PROJECT.resolve("config/dirprm/repa.prm"), home.resolve("dirprm/repa.prm"));
        ok("start repa");

        // new transactions after the ALTER: the demo tables (untouched so far) and one more MYOBJECTS insert
        source.simulate(400, 7, SourceSchema.demo().tables().stream().map(TableDef::name).toList());
        source.insertRows("T7", MYOBJECTS, 500);
        source.commit("T7");
        long last = source.lastSelectedCommitScn();
        await("REPA to apply CSN " + last, Duration.ofSeconds(400), () -> ItSupport.logCsn(settings) >= last,
                () -> "LOG_CSN " + ItSupport.logCsn(settings) + "\n" + read(home.resolve("ggserr.log")));

        // exact: the demo tables row for row; MYOBJECTS = the rows of the transactions from the ALTER point + T7
        TableComparer comparer = new TableComparer(HomeSetup.sourceUrl(settings), "sa", "", settings.get("redotrail.target.jdbcUrl"),
                settings.get("redotrail.target.user", ""), settings.get("redotrail.target.password", ""));
        ItDatabases.assertTablesEqual(comparer, SourceSchema.demo().tables().stream().map(TableDef::name).toList(), "source and target demo tables");
        Set<Long> expected = new TreeSet<>(keys(fromAlter));
        List<Transaction> ha = ItReadBack.readTrail(home.resolve("dirdat/ha"), TrailPosition.START);
        Set<Xid> haXids = ha.stream().map(Transaction::xid).collect(Collectors.toSet());
        for (Transaction t : fromAlter) assertTrue(haXids.contains(t.xid()), "transaction " + t.xid() + " of the ALTER point is in ./dirdat/ha");
        expected.addAll(keys(ha.stream().filter(t -> t.csn().value() > fromAlter.get(fromAlter.size() - 1).csn().value()).toList()));
        assertEquals(ROWS + 500, expected.size(), "T6 (the ALTER point's file) and T7");
        assertEquals(expected, targetKeys(settings), "YDJK.MYOBJECTS on the target = the rows the transactions from the ALTER point carried");

        awaitOutput("lag exta", "At EOF, no more records to process.", Duration.ofSeconds(120));
        // zero lag at EOF: the checkpoint lag (INFO ALL's Lag at Chkpt); "Last record lag" is the last record's own
        awaitOutput("info all", "EXTRACT     RUNNING     EXTA        00:00:00", Duration.ofSeconds(120));
        List<String> all = ok("info all").lines().filter(l -> !l.isBlank()).toList();
        assertTrue(all.get(1).startsWith("MANAGER     RUNNING"), String.join("\n", all));

        String stop = ok("stop mgr!");
        assertTrue(stop.contains("Sending STOP request to MANAGER ...") && stop.strip().endsWith("Manager stopped."), stop);
        assertFalse(ProcessHandle.of(mgrPid).map(ProcessHandle::isAlive).orElse(false), "the Manager exited");
        assertTrue(ok("info all").contains("MANAGER     STOPPED"));
        assertEquals("Manager is already stopped.", ok("stop mgr!").strip());
    }

    private static List<Long> keys(List<Transaction> txs) {
        return txs.stream().flatMap(t -> t.changes().stream()).filter(c -> c.table().equals(MYOBJECTS))
                .map(c -> ((Number) c.after().get("OBJECT_ID")).longValue()).toList();
    }

    private static Set<Long> targetKeys(Settings s) throws Exception {
        Set<Long> keys = new TreeSet<>();
        try (Connection c = ItSupport.target(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT OBJECT_ID FROM " + MYOBJECTS)) {
            while (rs.next()) keys.add(rs.getLong(1));
        }
        return keys;
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "(no " + f + ")";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
