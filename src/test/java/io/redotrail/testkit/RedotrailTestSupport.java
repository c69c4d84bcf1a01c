package io.redotrail.testkit;

import io.redotrail.core.FileTrees;
import io.redotrail.pump.TablePatterns;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import io.redotrail.scenario.ScenarioException;
import io.redotrail.scenario.ScriptParser;
import io.redotrail.scenario.ScriptedSource;
import io.redotrail.scenario.SessionSteps;
import io.redotrail.scenario.Step;
import io.redotrail.scenario.TargetRowCheck;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.VerifyReport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Base class of an end-to-end test of the redotrail routes (docs/testing.md), on camel-test-main-junit5: per test
 * class a fresh home (a temporary directory, prepared as {@code bin/redotrail run} prepares one), the target's
 * tables created by {@code target create} (MAP-aware, the user's step before the routes start), then one Camel
 * Main context running the user's routes with the user's configuration for all of the class's tests. The test
 * drives a simulated source ({@link #source()} in Java, {@link #scenario} in the script language of
 * docs/scenarios.md), waits until replicated and checks the target ({@link #assertSourceEqualsTarget},
 * {@link #assertTargetRow}). Override {@link #configFile}, {@link #routesIncludePattern}, {@link #configOverrides}
 * and {@link #sourceTables} to test a customised bundle. The home is deleted after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RedotrailTestSupport extends CamelMainTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private Path home;
    private Settings settings;
    private ScriptedSource scripted;
    private SourceSession session;
    private Connection target;
    private SessionSteps steps;
    private List<TableDef> tables;
    private Properties overrideProperties;
    private Exception preparationFailure;

    // ---------------------------------------------------------------- what a test class may override

    /** Where the project is: {@code config/} and {@code routes/} are looked up here. Default: the working directory. */
    protected Path projectDirectory() {
        return Path.of("").toAbsolutePath();
    }

    /** The configuration. Default: {@code config/application.properties} of the project. */
    protected Path configFile() {
        return projectDirectory().resolve("config/application.properties");
    }

    /** The routes that run. Default: the project's {@code routes/*.yaml}. */
    protected String routesIncludePattern() {
        return "file:" + projectDirectory().resolve("routes") + "/*.yaml";
    }

    /** Configuration overrides, as {@code --set key=value} gives them (they win over the file). Default: none. */
    protected Map<String, String> configOverrides() {
        return Map.of();
    }

    /**
     * Source tables besides the demo tables, as scenario lines {@code create table OWNER.T (...)}; they exist
     * before the routes start, and the target's by {@code target create}. Default: none.
     */
    protected List<String> sourceTables() {
        return List.of();
    }

    /** Where steps and their outcomes are printed. Default: {@code System.out}. */
    protected PrintStream log() {
        return System.out;
    }

    // ---------------------------------------------------------------- what a test uses

    /** This class's redotrail home. */
    protected final Path home() {
        return home;
    }

    /** The effective configuration (file, overrides and {@code redotrail.home}). */
    protected final Settings settings() {
        return settings;
    }

    /** The simulated source session. */
    protected final SourceSession source() {
        return session;
    }

    /**
     * Runs scenario lines (docs/scenarios.md; the version line is optional) in this JVM: source-session steps,
     * {@code target create}, waits and checks. Steps that control processes ({@code extract kill},
     * {@code pipeline restart}, {@code expect abend}, {@code ggsci}) are refused before any step runs, as are
     * {@code set} and {@code create table} lines that differ from this class's configuration and tables.
     */
    protected final void scenario(String... lines) {
        run(ScriptParser.parseLines(Path.of(getClass().getSimpleName() + ".scenario"), String.join("\n", lines)));
    }

    /** Runs a scenario script file ({@code .scn}, with its version line) in this JVM, as {@link #scenario(String...)}. */
    protected final void scenario(Path script) {
        run(ScriptParser.parse(script));
    }

    /** Until every Replicat route applied the last committed change to a replicated table; fails at once on an abend. */
    protected final void waitReplicated() {
        waitReplicated(WAIT);
    }

    protected final void waitReplicated(Duration timeout) {
        try {
            steps.waitReplicated(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the Replicat", e);
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Per replicated table counts and checksums of source and target, each table compared with its MAP target. */
    protected final VerifyReport compareSourceWithTarget() {
        try {
            return steps.compare();
        } catch (SQLException | RuntimeException e) {
            throw new AssertionError("comparing source with target: " + e.getMessage(), e);
        }
    }

    protected final void assertSourceEqualsTarget() {
        VerifyReport r = compareSourceWithTarget();
        if (!r.allEqual()) {
            StringBuilder sb = new StringBuilder("source and target differ:");
            for (VerifyReport.TableResult t : r.tables()) if (!t.equal()) sb.append("\n  ").append(t);
            throw new AssertionError(sb.toString());
        }
    }

    /**
     * The target row of {@code table} (target names) whose key is {@code key} has the {@code expected} column values,
     * as {@code assert target OWNER.TABLE where K=v has C=v}: numbers compare by value ({@code "10.5"} equals 10.50).
     */
    protected final void assertTargetRow(String table, Map<String, ?> key, Map<String, ?> expected) {
        try {
            log().println("      " + TargetRowCheck.check(target, table.toUpperCase(java.util.Locale.ROOT),
                    SourceSession.literals(key), SourceSession.literals(expected)));
        } catch (SQLException | RuntimeException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- CamelMainTestSupport

    /** Before the context is created (once per class); a failed preparation fails every test of the class with its cause. */
    @Override
    protected void doPreSetup() throws Exception {
        if (preparationFailure != null) throw new IllegalStateException("preparing the home failed", preparationFailure);
        if (home != null) return;
        try {
            prepare();
        } catch (Exception e) {
            preparationFailure = e;
            throw e;
        }
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:" + configFile().toAbsolutePath();
    }

    /**
     * Camel asks for these while the test instance is constructed, before the home exists: the object is filled
     * when the home is prepared, before the context is created ({@link #doPreSetup}).
     */
    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        if (overrideProperties == null) overrideProperties = new Properties();
        return overrideProperties;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern(routesIncludePattern());
    }

    /** The home as bin/redotrail run prepares it, the declared tables on the source, then target create. */
    private void prepare() throws Exception {
        home = Files.createTempDirectory("redotrail-test-");
        Map<String, String> o = new LinkedHashMap<>(configOverrides());
        o.put("redotrail.home", home.toString());
        o.put("camel.main.routes-include-pattern", routesIncludePattern());
        settings = Settings.load(configFile(), o, "the test's configOverrides()");
        ConfigCheck.validate(settings);
        useOverridePropertiesWithPropertiesComponent().putAll(settings.overrides());
        HomeSetup.prepareHome(settings);
        tables = new ArrayList<>(SourceSchema.demo().tables());
        for (Step s : ScriptParser.parseLines(Path.of(getClass().getSimpleName() + ".sourceTables()"), String.join("\n", sourceTables()))) {
            if (!(s.cmd() instanceof Step.CreateTable ct)) throw new ScenarioException(s.where() + ": not a create table line: " + s.text());
            if (tables.stream().anyMatch(t -> t.name().equals(ct.table().name()))) {
                throw new ScenarioException(s.where() + ": table " + ct.table().name() + " already exists");
            }
            tables.add(ct.table());
        }
        Clock clock = HomeSetup.clock(settings);
        TablePatterns selected = TablePatterns.parse(settings.get("redotrail.pump.tables"));
        scripted = new ScriptedSource(home, new SourceSchema(tables), HomeSetup.redoThreads(settings),
                t -> HomeSetup.redoConfig(settings, t), clock, selected::matches);
        session = new SourceSession(scripted);
        for (String line : TargetSetup.createConfigured(settings)) log().println(line);
        target = DriverManager.getConnection(settings.get("redotrail.target.jdbcUrl"), settings.get("redotrail.target.user", ""),
                settings.get("redotrail.target.password", ""));
        target.setAutoCommit(true);
        List<String> replicated = TargetSetup.selectedTables(settings);
        steps = new SessionSteps(home, settings, scripted, target, replicated, clock, log(), new ContextStages(() -> context));
    }

    /** Stops the routes before the source and the home go. */
    @AfterAll
    final void stopRoutesAndDeleteHome() throws Exception {
        try {
            if (context != null) context.stop();
        } finally {
            try {
                if (target != null) target.close();
                if (scripted != null) scripted.close();
            } finally {
                if (home != null) FileTrees.delete(home);
            }
        }
    }

    private void run(List<Step> script) {
        for (Step s : script) refuseInProcess(s);
        for (Step s : script) {
            log().printf("%s  %s%n", s.where(), s.text());
            if (!SessionSteps.handles(s.cmd())) continue; // a set or create table line this class already has
            try {
                steps.execute(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(s.where() + ": " + s.text() + "\n    interrupted", e);
            } catch (SQLException | RuntimeException e) {
                throw new AssertionError(s.where() + ": " + s.text() + "\n    FAILED: " + e.getMessage(), e);
            }
        }
    }

    private void refuseInProcess(Step s) {
        Step.Cmd c = s.cmd();
        String why = null;
        if (c instanceof Step.Process || c instanceof Step.ExpectAbend || c instanceof Step.ControlCmd) {
            why = "controls processes; in a test the routes run in the test's CamelContext (bin/redotrail scenario runs "
                    + "process steps with the pipeline in child JVMs)";
        } else if (c instanceof Step.Set set && !set.value().equals(settings.get(set.key(), null))) {
            why = "the configuration is fixed when the routes start: give " + set.key() + " in configOverrides()";
        } else if (c instanceof Step.CreateTable ct && tables.stream().noneMatch(t -> t.name().equals(ct.table().name())
                && t.createStatement().equals(ct.table().createStatement()))) {
            why = "the source tables exist before the routes start: declare this table in sourceTables()";
        }
        if (why != null) throw new ScenarioException(s.where() + ": '" + s.text() + "' cannot run in-process: " + why);
    }
}
