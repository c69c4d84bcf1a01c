package io.redotrail.scenario;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.pump.TablePatterns;
import io.redotrail.redo.ArchiveLogs;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SimulatedClock;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.sim.WorkloadStats;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario script (docs/scenarios.md) against a redotrail home: the scripted source session
 * ({@link ScriptedSource}) writes redo and the source database in this JVM, the pipeline runs as separate JVMs
 * ({@link ChildProcesses}). Prints each step with a timestamp; the first failing step stops the script with a
 * {@link ScenarioException} naming the file and line. Child processes are stopped (SIGKILL on failure) at the end.
 * One runner per script run; not thread-safe.
 */
public final class ScenarioRunner {
    private static final Pattern XID_REF = Pattern.compile("\\{xid (\\w+)}");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final List<String> DIRS = List.of("redo", "arch", "dirdat", "dirchk", "dirrpt", "dirtmp", "BR", "db");

    private final Path projectDir;
    private final Path configFile;
    private final Path home;
    private final PrintStream out;

    private Settings settings;
    private ScriptedSource source;
    private ChildProcesses processes;
    private TablePatterns selected;
    private List<String> selectedTables;
    private Clock clock;
    /** Held for the whole run: keeps the AUTO_SERVER target database served by this JVM (no close/reopen races). */
    private Connection targetHold;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * @param projectDir where {@code routes/} and {@code target/redotrail.jar} are (the processes run from there)
     * @param configFile the configuration ({@code config/application.properties}); script {@code set} lines override it
     * @param home       the redotrail home the script runs against
     */
    public ScenarioRunner(Path projectDir, Path configFile, Path home, PrintStream out) {
        this(projectDir, configFile, home, out, Map.of());
    }

    /** {@code sets}: the command line's {@code --set} overrides of the configuration; the script's {@code set} lines win. */
    public ScenarioRunner(Path projectDir, Path configFile, Path home, PrintStream out, Map<String, String> sets) {
        overrides.putAll(sets);
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.configFile = configFile.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
        this.out = out;
    }

    /** Parses and runs {@code script}; returns the number of steps run. */
    public int run(Path script) {
        List<Step> steps = ScriptParser.parse(script);
        out.printf("[%s] scenario %s: %d steps, home %s%n", now(), script, steps.size(), home);
        Step current = null;
        boolean ok = false;
        try {
            setUp(steps);
            for (Step s : steps) {
                current = s;
                out.printf("[%s] %s  %s%n", now(), s.where(), s.text());
                execute(s);
            }
            current = null;
            processes.checkNoneDied();
            ok = true;
        } catch (ScenarioException e) {
            throw e;
        } catch (RuntimeException | InterruptedException | SQLException | IOException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            String where = current != null ? current.where() + ": " + current.text() + "\n    " : script + ": ";
            throw new ScenarioException(where + "FAILED: " + message(e), e);
        } finally {
            tearDown(ok);
        }
        out.printf("[%s] scenario %s passed (%d steps)%n", now(), script.getFileName(), steps.size());
        return steps.size();
    }

    private void setUp(List<Step> steps) throws SQLException, IOException {
        List<TableDef> tables = new ArrayList<>(SourceSchema.demo().tables());
        int maxThread = 1;
        boolean clockUsed = false;
        for (Step s : steps) {
            Step.Cmd c = s.cmd();
            if (c instanceof Step.Set set) {
                overrides.put(set.key(), set.value());
            } else if (c instanceof Step.CreateTable ct) {
                if (tables.stream().anyMatch(t -> t.name().equals(ct.table().name()))) {
                    throw new ScenarioException(s.where() + ": table " + ct.table().name() + " already exists");
                }
                tables.add(ct.table());
            } else if (c instanceof Step.Begin b) {
                maxThread = Math.max(maxThread, b.thread());
            } else if (c instanceof Step.SwitchLog sl && sl.thread() != null) {
                maxThread = Math.max(maxThread, sl.thread());
            } else if (c instanceof Step.ArchiveDelete ad && ad.thread() != null) {
                maxThread = Math.max(maxThread, ad.thread());
            } else if (c instanceof Step.ClockAdvance) {
                clockUsed = true;
            }
        }
        overrides.put("redotrail.home", home.toString());
        settings = Settings.load(configFile, overrides);
        int threads = Math.max(maxThread, settings.getInt("redotrail.redo.threads", 1));
        if (threads != settings.getInt("redotrail.redo.threads", 1)) overrides.put("redotrail.redo.threads", Integer.toString(threads));
        if (clockUsed && !overrides.containsKey("redotrail.clock")) overrides.put("redotrail.clock", "simulated");
        settings = Settings.load(configFile, overrides);
        clock = switch (settings.get("redotrail.clock", "real")) {
            case "simulated" -> SimulatedClock.of(home);
            case "real" -> Clock.systemUTC();
            default -> throw new ScenarioException(configFile + ": redotrail.clock must be real or simulated");
        };
        selected = TablePatterns.parse(settings.get("redotrail.pump.tables"));
        selectedTables = tables.stream().map(TableDef::name).filter(selected::matches).toList();
        for (String d : DIRS) Files.createDirectories(home.resolve(d));
        SourceSchema schema = new SourceSchema(tables);
        targetHold = DriverManager.getConnection(settings.get("redotrail.target.jdbcUrl"), settings.get("redotrail.target.user", ""),
                settings.get("redotrail.target.password", ""));
        targetHold.setAutoCommit(true);
        try (Statement st = targetHold.createStatement()) {
            for (String sql : schema.createStatements()) st.execute(sql);
        }
        source = new ScriptedSource(home, schema, threads, t -> HomeSetup.redoConfig(settings, t), clock, selected::matches);
        processes = new ChildProcesses(projectDir, configFile, home, overrides, out);
        out.printf("      %d redo thread%s, %s clock, tables replicated: %s%n", threads, threads == 1 ? "" : "s",
                clock instanceof SimulatedClock ? "simulated" : "real", selectedTables);
    }

    private void tearDown(boolean ok) {
        if (processes != null) processes.shutdown(ok);
        if (targetHold != null) {
            try {
                targetHold.close();
            } catch (SQLException e) {
                out.println("      closing the target: " + e.getMessage());
            }
        }
        if (source != null) {
            try {
                source.close();
            } catch (RuntimeException e) {
                out.println("      closing the source: " + e.getMessage());
            }
        }
    }

    private void execute(Step s) throws InterruptedException, SQLException, IOException {
        Step.Cmd cmd = s.cmd();
        if (cmd instanceof Step.Set set) {
            out.printf("      %s = %s%n", set.key(), settings.get(set.key(), set.value()));
        } else if (cmd instanceof Step.CreateTable ct) {
            out.printf("      %s on source and target%n", ct.table().createStatement());
        } else if (cmd instanceof Step.Begin b) {
            source.begin(b.tx(), b.thread());
        } else if (cmd instanceof Step.InsertRow i) {
            source.insert(i.tx(), i.table(), i.values());
        } else if (cmd instanceof Step.InsertRows i) {
            long t0 = System.nanoTime();
            source.insertRows(i.tx(), i.table(), i.rows());
            source.flush();
            out.printf("      %,d rows in %.1f s; %s has %,d changes, XID %s, first record at %s%n", i.rows(),
                    (System.nanoTime() - t0) / 1e9, i.tx(), source.changes(i.tx()), source.xid(i.tx()), source.firstRecord(i.tx()));
        } else if (cmd instanceof Step.Update u) {
            source.update(u.tx(), u.table(), u.set(), u.where());
        } else if (cmd instanceof Step.Delete d) {
            source.delete(d.tx(), d.table(), d.where());
        } else if (cmd instanceof Step.Commit c) {
            long csn = source.commit(c.tx());
            out.printf("      %s committed at CSN %d%n", c.tx(), csn);
        } else if (cmd instanceof Step.Rollback r) {
            source.rollback(r.tx());
        } else if (cmd instanceof Step.SwitchLog sl) {
            source.switchLogFile(sl.thread());
            for (ArchiveLogs.LogInfo l : ArchiveLogs.list(home.resolve("redo"), sl.thread())) {
                if (l.current()) out.printf("      thread %d now at sequence %d%n", l.thread(), l.sequence());
            }
        } else if (cmd instanceof Step.ArchiveDelete ad) {
            Integer thread = ad.thread();
            long seq;
            if (ad.ofTx() != null) {
                RedoPosition p = source.firstRecord(ad.ofTx());
                seq = p.sequence();
                if (thread == null) thread = p.thread();
                out.printf("      %s began at %s%n", ad.ofTx(), p);
            } else {
                seq = ad.sequence();
            }
            for (ArchiveLogs.LogInfo l : ArchiveLogs.deleteSequence(home.resolve("redo"), thread, seq)) {
                out.printf("      deleted archived log thread=%d sequence=%d %s%n", l.thread(), l.sequence(), l.archived());
            }
        } else if (cmd instanceof Step.ClockAdvance ca) {
            if (!(clock instanceof SimulatedClock sc)) throw new IllegalStateException("clock advance needs redotrail.clock = simulated");
            out.printf("      clock now %s%n", sc.advance(ca.by()));
        } else if (cmd instanceof Step.Process p) {
            processes.act(p.name(), p.action());
        } else if (cmd instanceof Step.WaitReplicated w) {
            waitReplicated(w.timeout());
        } else if (cmd instanceof Step.WaitTrailFiles w) {
            waitTrailFiles(w);
        } else if (cmd instanceof Step.AssertEqual ignored) {
            assertEqual();
        } else if (cmd instanceof Step.AssertTargetRows a) {
            try (var st = targetHold.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM " + a.table())) {
                rs.next();
                long n = rs.getLong(1);
                if (n != a.rows()) throw new IllegalStateException("target " + a.table() + " has " + n + " rows, expected " + a.rows());
                out.printf("      target %s has %d rows%n", a.table(), n);
            }
        } else if (cmd instanceof Step.AssertTrailOrder a) {
            assertTrailOrder(a.prefix());
        } else if (cmd instanceof Step.ExpectAbend e) {
            processes.expectAbend(e.text(), e.within().toMillis());
        } else if (cmd instanceof Step.Ggsci g) {
            ggsci(g.command());
        } else if (cmd instanceof Step.Sleep sl) {
            Thread.sleep(sl.duration().toMillis());
        } else if (cmd instanceof Step.Simulate sim) {
            List<String> demo = SourceSchema.demo().tables().stream().map(TableDef::name).toList();
            WorkloadStats st = source.simulate(sim.transactions(), sim.seed(), demo);
            out.printf("      committed %,d transactions / %,d rows, rolled back %,d; SCN now %d%n", st.committedTransactions(),
                    st.committedRowChanges(), st.rolledBackTransactions(), source.lastScn());
        }
    }

    private void waitReplicated(Duration timeout) throws InterruptedException {
        source.flush();
        long csn = source.lastSelectedCommitScn();
        String group = settings.get("redotrail.replicat.group", "REP1");
        CheckpointTable table = new CheckpointTable(settings.get("redotrail.replicat.checkpointTable", "GGADMIN.CHECKPOINT"));
        long start = System.currentTimeMillis(), nextPrint = start + 5000;
        while (true) {
            long applied = appliedCsn(table, group);
            long now = System.currentTimeMillis();
            if (applied >= csn) {
                out.printf("      %s at LOG_CSN %d >= %d after %.1f s%n", group, applied, csn, (now - start) / 1000.0);
                return;
            }
            processes.checkNoneDied();
            if (now - start > timeout.toMillis()) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + group + " LOG_CSN " + applied
                        + ", waiting for " + csn + " (running: " + processes.running() + ")");
            }
            if (now >= nextPrint) {
                out.printf("      ... %s LOG_CSN %d of %d%n", group, applied, csn);
                nextPrint = now + 5000;
            }
            Thread.sleep(100);
        }
    }

    private long appliedCsn(CheckpointTable table, String group) {
        try {
            return table.read(targetHold, group).map(r -> r.logCsn().value()).orElse(0L);
        } catch (SQLException e) {
            return 0; // no checkpoint table yet: the replicat has not started
        }
    }

    private void waitTrailFiles(Step.WaitTrailFiles w) throws InterruptedException {
        Path trail = home.resolve("dirdat").resolve(w.prefix());
        long start = System.currentTimeMillis();
        while (true) {
            long[] seqnos = TrailFormat.seqnos(trail);
            if (seqnos.length >= w.files()) {
                out.printf("      %d files %s%09d .. %s%09d%n", seqnos.length, w.prefix(), seqnos[0], w.prefix(), seqnos[seqnos.length - 1]);
                return;
            }
            processes.checkNoneDied();
            if (System.currentTimeMillis() - start > w.timeout().toMillis()) {
                throw new IllegalStateException("timed out: " + seqnos.length + " files of trail " + trail + ", waiting for " + w.files());
            }
            Thread.sleep(100);
        }
    }

    private void assertEqual() throws SQLException {
        processes.checkNoneDied();
        VerifyReport r = new TableComparer(SourceDatabase.jdbcUrl(home), "sa", "", settings.get("redotrail.target.jdbcUrl"),
                settings.get("redotrail.target.user", ""), settings.get("redotrail.target.password", "")).compare(selectedTables);
        ByteArrayPrinter p = new ByteArrayPrinter();
        r.print(p.stream);
        for (String l : p.text().split("\n")) out.println("      " + l);
        if (!r.allEqual()) throw new IllegalStateException("source and target differ");
    }

    private void assertTrailOrder(String prefix) {
        Path trail = home.resolve("dirdat").resolve(prefix);
        long[] seqnos = TrailFormat.seqnos(trail);
        if (seqnos.length == 0) throw new IllegalStateException("trail " + trail + " has no files");
        long last = 0, count = 0;
        java.util.Set<Integer> threads = new java.util.TreeSet<>();
        try (TrailReader r = new TrailReader(trail, new TrailPosition(seqnos[0], 0))) {
            while (true) {
                List<Transaction> batch = r.poll(10_000);
                if (batch.isEmpty()) break;
                for (Transaction t : batch) {
                    if (t.csn().value() <= last) {
                        throw new IllegalStateException("trail " + prefix + ": transaction " + t.xid() + " with CSN " + t.csn()
                                + " follows CSN " + last + " at " + r.position());
                    }
                    last = t.csn().value();
                    threads.add(t.thread());
                    count++;
                }
            }
        }
        out.printf("      %,d transactions in %d file(s), CSNs strictly increasing up to %d, redo threads %s%n", count, seqnos.length, last, threads);
    }

    /** Runs {@code bin/redotrail ggsci} against the home; {@code {xid T1}} stands for transaction T1's XID. */
    private void ggsci(String command) throws IOException, InterruptedException {
        Matcher m = XID_REF.matcher(command);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) m.appendReplacement(resolved, Matcher.quoteReplacement(source.xid(m.group(1)).toString()));
        m.appendTail(resolved);
        Path cfg = processes.configCopy("ggsci", null);
        Process p = new ProcessBuilder(processes.command("ggsci", resolved.toString(), "--home", home.toString(),
                "--config", cfg.toString())).directory(projectDir.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        for (String l : text.split("\n")) out.println("      | " + l);
        if (p.exitValue() != 0) throw new IllegalStateException("ggsci \"" + resolved + "\" exited with code " + p.exitValue());
    }

    private static String now() {
        return LocalTime.now().format(TIME);
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e || m.contains(String.valueOf(root.getMessage())) ? m : m + " (caused by " + root + ")";
    }

    private static final class ByteArrayPrinter {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

}
