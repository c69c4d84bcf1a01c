package io.redotrail.scenario;

import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import io.redotrail.sim.SimulatedClock;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario script (docs/scenarios.md) against a redotrail home: the scripted source session
 * ({@link ScriptedSource}) writes redo and the source database in this JVM, the pipeline runs as separate JVMs
 * ({@link ChildProcesses}); the source-session and check steps are {@link SessionSteps}. Prints each step with
 * a timestamp; the first failing step stops the script with a {@link ScenarioException} naming the file and line. Child processes are stopped (SIGKILL on failure) at the end.
 * One runner per script run; not thread-safe.
 */
public final class ScenarioRunner {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final List<String> DIRS = List.of("redo", "arch", "dirdat", "dirchk", "dirrpt", "dirtmp", "BR", "db");

    private final Path projectDir;
    private final Path configFile;
    private final Path home;
    private final PrintStream out;

    private Settings settings;
    private ScriptedSource source;
    private ChildProcesses processes;
    private SessionSteps sessionSteps;
    private ControlSteps control;
    private TablePatterns selected;
    private List<String> selectedTables;
    private Clock clock;
    /** Held for the whole run: keeps the AUTO_SERVER target database served by this JVM (no close/reopen races). */
    private Connection targetHold;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private List<String> childJvmOptions = List.of();

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

    /** JVM options for every process the script starts (after the default heap); none unless set. Returns this. */
    public ScenarioRunner childJvmOptions(List<String> options) {
        this.childJvmOptions = List.copyOf(options);
        return this;
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
        for (String d : DIRS) Files.createDirectories(home.resolve(d));
        SourceSchema schema = new SourceSchema(tables);
        targetHold = DriverManager.getConnection(settings.get("redotrail.target.jdbcUrl"), settings.get("redotrail.target.user", ""),
                settings.get("redotrail.target.password", ""));
        targetHold.setAutoCommit(true);
        source = new ScriptedSource(home, schema, threads, t -> HomeSetup.redoConfig(settings, t), clock, selected::matches);
        // read from the source, which now has the script's tables: the list verify and target create use
        selectedTables = TargetSetup.selectedTables(settings);
        processes = new ChildProcesses(projectDir, configFile, home, overrides, out, childJvmOptions);
        control = new ControlSteps(projectDir, home, processes, tx -> source.xid(tx).toString(), out);
        sessionSteps = new SessionSteps(home, settings, source, targetHold, selectedTables, clock, out, new ChildStages());
        out.printf("      %d redo thread%s, %s clock, tables replicated: %s%n", threads, threads == 1 ? "" : "s",
                clock instanceof SimulatedClock ? "simulated" : "real", selectedTables);
    }

    private void tearDown(boolean ok) {
        if (processes != null) processes.shutdown(ok);
        if (control != null) control.stopManager();
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
            out.printf("      %s on the source%n", ct.table().createStatement());
        } else if (cmd instanceof Step.Process p) {
            processes.act(p.name(), p.action());
        } else if (cmd instanceof Step.ExpectAbend e) {
            processes.expectAbend(e.text(), e.within().toMillis());
        } else if (cmd instanceof Step.ControlCmd c) {
            control.execute(c);
        } else {
            sessionSteps.execute(s);
        }
    }

    /** The child JVMs as the session steps see them; LOG_CSN from the checkpoint table of redotrail.replicat.group. */
    private final class ChildStages implements SessionSteps.Stages {
        private final String group = settings.get("redotrail.replicat.group", "REP1");
        private final CheckpointTable table = new CheckpointTable(settings.get("redotrail.replicat.checkpointTable", "GGADMIN.CHECKPOINT"), home.toString());

        @Override
        public void checkAlive() {
            processes.checkNoneDied();
        }

        @Override
        public long appliedCsn() {
            try {
                return table.read(targetHold, group).map(r -> r.logCsn().value()).orElse(0L);
            } catch (SQLException e) {
                return 0; // no checkpoint table yet: the replicat has not started
            }
        }

        @Override
        public String state() {
            return group + "; running: " + processes.running();
        }
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

}
