package io.redotrail.control.group;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.control.credentials.LinkTlsStores;
import io.redotrail.net.tls.TlsException;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.trail.camel.TrailConfiguration;
import io.redotrail.control.manager.MgrParams;
import io.redotrail.control.params.GroupKind;
import io.redotrail.control.params.BrFiles;
import io.redotrail.control.params.GroupParams;
import io.redotrail.control.params.Param;
import io.redotrail.control.params.ParamException;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Jdbc;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.TargetCreate;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupProcess;
import io.redotrail.report.ReportFile;
import io.redotrail.runtime.Foreground;
import io.redotrail.runtime.GroupLocks;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.RoutesPattern;
import io.redotrail.runtime.Settings;
import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One group in the foreground, as GoldenGate runs one process per group ({@code bin/redotrail process GROUP},
 * started by the Manager): its checkpoint file says what it is ({@code dirchk/<G>.cpe}: primary Extract or pump,
 * {@code dirchk/<G>.cpr}: Replicat; {@link GroupKind}), its parameter file {@code dirprm/<group>.prm} what it
 * does ({@link GroupParams}); the parameters are echoed to {@code dirrpt/<G>.rpt}, then a Camel Main runs only
 * that kind's route file ({@code routes/extract.yaml}, {@code pump.yaml} or {@code replicat.yaml}, found among
 * the route files of {@code camel.main.routes-include-pattern}) with the group's configuration keys over the
 * configuration file's ({@code --set} over both). Exit status: 0 after a graceful stop (SIGTERM), 1 when the group
 * abended, 2 when it refused to start (group unknown, parameter file missing or wrong, credential alias unknown,
 * already running): the reason on stderr, in the report file and, for a group that exists and is not running,
 * in its pid file (INFO shows ABENDED). Not thread-safe; one run per instance.
 */
public final class GroupMain {
    public static final int STOPPED = 0;
    public static final int ABENDED = 1;
    public static final int REFUSED = 2;

    private final Settings base;
    private final Path home;
    private final String group;
    private final PrintStream err;

    public GroupMain(Settings base, String group, PrintStream err) {
        this.base = base;
        this.home = base.home();
        this.group = group.toUpperCase(Locale.ROOT);
        this.err = err;
    }

    /** Start options of a Replicat ({@code START REPLICAT r, ATCSN n | AFTERCSN n}); null = none. */
    public record StartOptions(Long atCsn, Long afterCsn) {
        public static final StartOptions NONE = new StartOptions(null, null);
    }

    /** Runs the group until SIGTERM or an abend; returns the exit status. */
    public int run(StartOptions start) throws Exception {
        Path cpe = CheckpointFile.extractFile(home, group);
        Path cpr = CheckpointFile.replicatFile(home, group);
        Path cpFile = Files.exists(cpe) ? cpe : Files.exists(cpr) ? cpr : null;
        if (cpFile == null) {
            // no pid file for a group that does not exist: it would make INFO ALL list it
            String why = "EXTRACT/REPLICAT group " + group + " does not exist: ADD it with GGSCI (no dirchk/" + group
                    + ".cpe or dirchk/" + group + ".cpr in " + home + ")";
            err.println("redotrail: " + why);
            ReportFile.open(home, group).error("OGG-00001", "Execution cannot continue - " + why);
            GroupProcess.event(home, "EXTRACT", group, "ERROR", "OGG-00001", "Execution cannot continue - " + why);
            return REFUSED;
        }
        String program = cpFile.equals(cpr) ? "REPLICAT" : "EXTRACT";
        ProcessCheckpoint cp;
        try {
            cp = new CheckpointFile(cpFile).read().orElseThrow();
        } catch (CorruptFileException e) {
            return refuse(program, e);
        }
        GroupKind kind = GroupKind.of(cp);
        Path prm = GroupParams.fileOf(home, group);
        Settings settings;
        GroupParams params;
        try {
            if (Files.exists(prm)) ParamEcho.write(ReportFile.open(home, group), prm);
            params = GroupParams.read(home, group, cp);
            settings = settings(params, start, cp.checkpointTable(), kind == GroupKind.REPLICAT && new CheckpointFile(cpFile).parallel());
            if (kind == GroupKind.EXTRACT) checkCapturedTables(settings, params.tables());
        } catch (ParamException | Settings.ConfigException | CredentialStore.CredentialException e) {
            return refuse(kind.program(), e);
        }
        Main main;
        try {
            main = Pipeline.create(withLagCritical(settings), 0); // its metrics on an ephemeral port: dirchk/<G>.http says which
            TlsLink tls = linkTls(params);
            if (tls != null) main.bind(TrailConfiguration.TLS_BEAN, tls);
        } catch (Settings.ConfigException | TlsException | CredentialStore.CredentialException e) {
            return refuse(kind.program(), e);
        }
        GroupLocks locks;
        try {
            locks = GroupLocks.take(settings, null); // reported in the running group's report by GroupLocks
        } catch (GroupLock.AlreadyRunningException e) {
            err.println("redotrail: " + kind.program() + " " + group + " refused, nothing started: " + e.getMessage());
            GroupProcess.event(home, kind.program(), group, "ERROR", "OGG-00001", "Execution cannot continue - " + kind.program()
                    + " " + group + " not started by pid " + ProcessHandle.current().pid() + ": " + e.getMessage());
            return REFUSED;
        }
        try (locks) {
            HomeSetup.prepareFolders(settings);
            return Foreground.run(main, "redotrail: " + kind.program() + " " + group + " (" + kind.description()
                    + ") running with home " + home + " (SIGTERM stops gracefully)");
        }
    }

    /**
     * The LAGCRITICAL of the group's health check: {@code redotrail.health.lagCriticalSeconds} when set, else the
     * Manager's LAGCRITICALSECONDS / MINUTES / HOURS from {@code dirprm/mgr.prm} (the threshold of its OGG-00947
     * warnings), so the group's /health and the Manager's lag warnings agree.
     */
    private Settings withLagCritical(Settings s) {
        if (!s.get(Pipeline.LAG_CRITICAL, "").isBlank() || !Files.exists(MgrParams.fileOf(home))) return s;
        long critical = MgrParams.read(home).lagCriticalMillis();
        if (critical < 0) return s;
        Map<String, String> keys = new LinkedHashMap<>(s.overrides());
        Map<String, String> sources = new HashMap<>();
        keys.keySet().forEach(k -> sources.put(k, s.where(k)));
        keys.put(Pipeline.LAG_CRITICAL, Long.toString(Math.max(1, critical / 1000)));
        sources.put(Pipeline.LAG_CRITICAL, MgrParams.fileOf(home) + " (LAGCRITICAL)");
        return Settings.load(s.file(), keys, sources);
    }

    /**
     * RMTHOST ..., TLS: the pump's TLS from the credential aliases of its parameter file, its stores read and checked
     * now (a missing store or wrong password refuses the start); null without TLS. Passwords stay out of the settings.
     */
    private TlsLink linkTls(GroupParams params) throws TlsException {
        Map<String, String> o = params.overrides();
        if (!"true".equals(o.get("redotrail.pump.tls"))) return null;
        return TlsLink.create(new LinkTlsStores.Aliases(o.get("redotrail.pump.tlsKeyAlias"), o.get("redotrail.pump.tlsTrustAlias"), false)
                .settings(home));
    }

    /**
     * The configuration of the group: the file's keys, the parameter file's over them, the start options, the
     * command line's {@code --set} over all, and only the kind's route file.
     */
    Settings settings(GroupParams params, StartOptions start) {
        return settings(params, start, null);
    }

    /** As {@link #settings(GroupParams, StartOptions)}, with the checkpoint table the group's definition names (or null). */
    Settings settings(GroupParams params, StartOptions start, String definedTable) {
        return settings(params, start, definedTable, false);
    }

    /** ... and whether the definition is a parallel Replicat (ADD REPLICAT r, PARALLEL). */
    Settings settings(GroupParams params, StartOptions start, String definedTable, boolean parallel) {
        Map<String, String> keys = new LinkedHashMap<>(params.overrides());
        Map<String, String> sources = new HashMap<>(params.sources());
        if (parallel) put(keys, sources, "redotrail.replicat.parallel", "true", "dirchk/" + group + ".cpr (ADD REPLICAT ... PARALLEL)");
        if (params.kind() == GroupKind.REPLICAT) {
            if (start.atCsn() != null) put(keys, sources, "redotrail.replicat.atCsn", start.atCsn().toString(), "--atcsn");
            if (start.afterCsn() != null) put(keys, sources, "redotrail.replicat.afterCsn", start.afterCsn().toString(), "--aftercsn");
        } else if (start.atCsn() != null || start.afterCsn() != null) {
            throw new ParamException(params.file(), 0, "ATCSN / AFTERCSN are start options of a Replicat; " + group
                    + " is a " + params.kind().description());
        }
        if (params.kind() == GroupKind.EXTRACT) {
            // the BR directory as GGSCI's ALTER resolves it (BrFiles), absolute: no second reading of BRDIR
            BrFiles br = params.boundedRecovery(home, k -> base.get(k, null));
            put(keys, sources, BrFiles.DIR_KEY, br.root().toString(), params.sources().getOrDefault(BrFiles.DIR_KEY, "the configuration"));
        }
        put(keys, sources, RoutesPattern.KEY, "file:" + routeFile(params.kind()), "the " + params.kind().description() + "'s route file");
        base.overrides().forEach((k, v) -> put(keys, sources, k, v, base.where(k)));
        // the definition's table and the USERIDALIAS login win even over --set: GGSCI's DELETE / ALTER / INFO act
        // on the same ones (ReplicatTarget)
        login(params, keys, sources, definedTable);
        return Settings.load(base.file(), keys, sources);
    }

    /**
     * A Replicat's checkpoint table and target login as {@link ReplicatTarget} resolves them (GGSCI acts on the same);
     * an Extract's or pump's USERIDALIAS only checked (the simulated source has none).
     */
    private void login(GroupParams params, Map<String, String> keys, Map<String, String> sources, String definedTable) {
        if (params.kind() != GroupKind.REPLICAT) {
            ReplicatTarget.login(home, params);
            return;
        }
        ReplicatTarget t = ReplicatTarget.of(home, params, definedTable, k -> base.get(k, null));
        if (definedTable != null) put(keys, sources, ReplicatTarget.TABLE_KEY, definedTable, "dirchk/" + group + ".cpr (ADD REPLICAT ... CHECKPOINTTABLE)");
        if (params.userIdAliasParam() == null) return; // the home's target (redotrail.target.*), as the demo uses
        put(keys, sources, "redotrail.target.jdbcUrl", t.jdbcUrl(), t.loginSource());
        put(keys, sources, "redotrail.target.user", t.user(), t.loginSource());
        put(keys, sources, "redotrail.target.password", t.password(), t.loginSource());
    }

    /** The kind's route file among those {@code camel.main.routes-include-pattern} selects. */
    private String routeFile(GroupKind kind) {
        List<Path> files = RoutesPattern.require(base);
        for (Path f : files) {
            if (f.getFileName().toString().equals(kind.routeFile())) return f.toString();
        }
        throw base.invalid(RoutesPattern.KEY, "selects no " + kind.routeFile() + " for the " + kind.description()
                + " " + group + " (route files: " + files + ")");
    }

    /**
     * A primary Extract captures every table of the source (the redo holds them all; a pump's TABLE or a
     * Replicat's MAP selects). Its TABLE statements are honoured by checking that they select every source
     * table; one that would leave a table out is refused, never ignored.
     */
    private void checkCapturedTables(Settings s, List<Param> tables) {
        // TABLE *.* selects every table there is: no need to open the source, which with H2's auto-server this
        // process could end up hosting for others (and a group process may be killed)
        if (tables.isEmpty() || tables.stream().anyMatch(GroupMain::everyTable)) return;
        TablePatterns selected = TablePatterns.parse(String.join("; ", tables.stream().map(Param::value).toList()));
        if (!Files.exists(s.home().resolve("db").resolve("source.mv.db"))) {
            throw tables.get(0).error("the source database " + HomeSetup.sourceUrl(s) + " does not exist yet, so the tables"
                    + " these TABLE statements select cannot be checked: TABLE *.*; captures every table");
        }
        List<String> source = sourceTables(s);
        List<String> left = source.stream().filter(t -> !selected.matches(t)).sorted().toList();
        if (!left.isEmpty()) {
            throw tables.get(0).error("a primary Extract captures every table of the source; these TABLE statements"
                    + " leave out " + left + ": select every table (TABLE *.*;) and choose tables in the pump's TABLE"
                    + " or the Replicat's MAP");
        }
    }

    private static boolean everyTable(Param table) {
        return table.value().replace(";", "").strip().equals("*.*");
    }

    private static List<String> sourceTables(Settings s) {
        try (Connection c = Jdbc.connect(HomeSetup.sourceUrl(s), "sa", "")) {
            return TargetCreate.tables(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the source tables: " + e.getMessage(), e);
        }
    }

    private static void put(Map<String, String> keys, Map<String, String> sources, String k, String v, String where) {
        keys.put(k, v);
        sources.put(k, where);
    }

    /** Start refused: stderr, report (OGG-01668) and pid file marked abended. */
    private int refuse(String program, Exception e) {
        err.println("redotrail: " + program + " " + group + " refused to start: " + e.getMessage());
        GroupProcess.abendedOutside(home, group, program, e);
        return REFUSED;
    }
}
