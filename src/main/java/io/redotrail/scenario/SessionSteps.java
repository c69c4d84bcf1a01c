package io.redotrail.scenario;

import io.redotrail.core.RedoPosition;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.redo.ArchiveLogs;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import io.redotrail.sim.SimulatedClock;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.sim.WorkloadStats;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The steps of a scenario script that need no process control: the source session ({@link ScriptedSource}),
 * {@code target create}, waits and checks. {@link ScenarioRunner} runs them beside its child JVMs; the test kit
 * runs them in-process beside a CamelContext. What runs the pipeline is behind {@link Stages}. Not thread-safe.
 */
public final class SessionSteps {

    /** The running pipeline, however it runs (child JVMs, a CamelContext). */
    public interface Stages {
        /** Throws, naming the stage and why, when a stage died or abended. */
        void checkAlive();

        /** The lowest LOG_CSN the Replicat groups have applied (0 before their first checkpoint). */
        long appliedCsn();

        /** What runs, for a timeout message. */
        String state();
    }

    private final Path home;
    private final Settings settings;
    private final ScriptedSource source;
    private final Connection target;
    private final List<String> selectedTables;
    private final Clock clock;
    private final PrintStream out;
    private final Stages stages;

    /**
     * @param target         a connection to the configured target (auto-commit), for the value checks
     * @param selectedTables the source tables the pump selects: the ones compared with the target
     */
    public SessionSteps(Path home, Settings settings, ScriptedSource source, Connection target, List<String> selectedTables,
                        Clock clock, PrintStream out, Stages stages) {
        this.home = home;
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.selectedTables = List.copyOf(selectedTables);
        this.clock = clock;
        this.out = out;
        this.stages = stages;
    }

    /** True for the steps {@link #execute} runs. */
    public static boolean handles(Step.Cmd cmd) {
        return !(cmd instanceof Step.Set || cmd instanceof Step.CreateTable || cmd instanceof Step.Process
                || cmd instanceof Step.ExpectAbend || cmd instanceof Step.ControlCmd);
    }

    /** Runs one step that {@link #handles}; anything else is refused naming the step. */
    public void execute(Step s) throws InterruptedException, SQLException {
        Step.Cmd cmd = s.cmd();
        if (cmd instanceof Step.Begin b) {
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
            out.printf("      %s committed at CSN %d%n", c.tx(), source.commit(c.tx()));
        } else if (cmd instanceof Step.Rollback r) {
            source.rollback(r.tx());
        } else if (cmd instanceof Step.SwitchLog sl) {
            source.switchLogFile(sl.thread());
            for (ArchiveLogs.LogInfo l : ArchiveLogs.list(home.resolve("redo"), sl.thread())) {
                if (l.current()) out.printf("      thread %d now at sequence %d%n", l.thread(), l.sequence());
            }
        } else if (cmd instanceof Step.ArchiveDelete ad) {
            archiveDelete(ad);
        } else if (cmd instanceof Step.ClockAdvance ca) {
            if (!(clock instanceof SimulatedClock sc)) throw new IllegalStateException("clock advance needs redotrail.clock = simulated");
            out.printf("      clock now %s%n", sc.advance(ca.by()));
        } else if (cmd instanceof Step.TargetCreate) {
            for (String o : TargetSetup.createConfigured(settings)) out.println("      " + o);
        } else if (cmd instanceof Step.WaitReplicated w) {
            waitReplicated(w.timeout());
        } else if (cmd instanceof Step.WaitTrailFiles w) {
            waitTrailFiles(w);
        } else if (cmd instanceof Step.AssertEqual) {
            assertEqual();
        } else if (cmd instanceof Step.AssertTargetRows a) {
            stages.checkAlive();
            try (var st = target.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM " + a.table())) {
                rs.next();
                long n = rs.getLong(1);
                if (n != a.rows()) throw new IllegalStateException("target " + a.table() + " has " + n + " rows, expected " + a.rows());
                out.printf("      target %s has %d rows%n", a.table(), n);
            }
        } else if (cmd instanceof Step.AssertTargetValues a) {
            stages.checkAlive();
            out.println("      " + TargetRowCheck.check(target, a.table(), a.where(), a.expected()));
        } else if (cmd instanceof Step.AssertTrailOrder a) {
            assertTrailOrder(a.prefix());
        } else if (cmd instanceof Step.Sleep sl) {
            Thread.sleep(sl.duration().toMillis());
        } else if (cmd instanceof Step.Simulate sim) {
            List<String> demo = SourceSchema.demo().tables().stream().map(TableDef::name).toList();
            WorkloadStats st = source.simulate(sim.transactions(), sim.seed(), demo);
            out.printf("      committed %,d transactions / %,d rows, rolled back %,d; SCN now %d%n", st.committedTransactions(),
                    st.committedRowChanges(), st.rolledBackTransactions(), source.lastScn());
        } else {
            throw new IllegalArgumentException("'" + s.text() + "' is not a source-session or check step");
        }
    }

    private void archiveDelete(Step.ArchiveDelete ad) {
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
        List<ArchiveLogs.Retained> retained = ad.force() ? List.of()
                : io.redotrail.control.group.RedoRetention.of(home, k -> settings.get(k, null));
        for (ArchiveLogs.LogInfo l : ArchiveLogs.deleteSequence(home.resolve("redo"), thread, seq, retained)) {
            out.printf("      deleted archived log thread=%d sequence=%d %s%n", l.thread(), l.sequence(), l.archived());
        }
    }

    /** Until every Replicat's LOG_CSN reaches the last committed CSN of a replicated table; fails fast on an abend. */
    public void waitReplicated(Duration timeout) throws InterruptedException {
        source.flush();
        long csn = source.lastSelectedCommitScn();
        long start = System.currentTimeMillis(), nextPrint = start + 5000;
        while (true) {
            stages.checkAlive();
            long applied = stages.appliedCsn();
            long now = System.currentTimeMillis();
            if (applied >= csn) {
                out.printf("      LOG_CSN %d >= %d after %.1f s%n", applied, csn, (now - start) / 1000.0);
                return;
            }
            if (now - start > timeout.toMillis()) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: LOG_CSN " + applied
                        + ", waiting for " + csn + " (" + stages.state() + ")");
            }
            if (now >= nextPrint) {
                out.printf("      ... LOG_CSN %d of %d%n", applied, csn);
                nextPrint = now + 5000;
            }
            Thread.sleep(100);
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
            stages.checkAlive();
            if (System.currentTimeMillis() - start > w.timeout().toMillis()) {
                throw new IllegalStateException("timed out: " + seqnos.length + " files of trail " + trail + ", waiting for " + w.files());
            }
            Thread.sleep(100);
        }
    }

    /** Source = target for the replicated tables, as the configured MAP maps them; the report is printed. */
    public VerifyReport compare() throws SQLException {
        stages.checkAlive();
        VerifyReport r = new TableComparer(SourceDatabase.jdbcUrl(home), "sa", "", settings.get("redotrail.target.jdbcUrl"),
                settings.get("redotrail.target.user", ""), settings.get("redotrail.target.password", ""))
                .compare(selectedTables, TargetSetup.configuredMapper(settings));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (String l : bytes.toString(StandardCharsets.UTF_8).split("\n")) out.println("      " + l);
        return r;
    }

    private void assertEqual() throws SQLException {
        if (!compare().allEqual()) throw new IllegalStateException("source and target differ");
    }

    private void assertTrailOrder(String prefix) {
        Path trail = home.resolve("dirdat").resolve(prefix);
        long[] seqnos = TrailFormat.seqnos(trail);
        if (seqnos.length == 0) throw new IllegalStateException("trail " + trail + " has no files");
        long last = 0, count = 0;
        Set<Integer> threads = new TreeSet<>();
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
}
