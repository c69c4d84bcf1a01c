package io.redotrail.it.quickstart;

import io.redotrail.it.ItSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A new user's first hour, in a fresh copy of the repository (the files git tracks plus untracked, not ignored
 * ones): every command line of README.md's and docs/*.md's code blocks runs exactly as written, without
 * {@code --home}, and README's route snippet is applied to routes/pump.yaml and must work. The commands are
 * parsed from the documents ({@link DocCommands}), so text and test cannot drift; a line that cannot run here is
 * excluded by name with its reason ({@link #EXCLUDED}). The copy gets the jar already built by this Maven run,
 * newer than its sources, so bin/redotrail does not rebuild it, except in the one test of that rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickStartIT {
    private static final Path PROJECT = ItSupport.PROJECT;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);

    /** Documented command lines not run here (by their text without comment), and why. */
    static final Map<String, String> EXCLUDED = Map.of(
            "mvn -B verify", "it is the build that runs this test (Maven inside Maven would recurse); CI runs it through .ci/run",
            "mvn -B verify -Dit.test=ScenarioIT", "Maven inside Maven; ScenarioIT runs in the same mvn -B verify as this test",
            "bin/redotrail archive delete --sequence N [--thread T] [--force]", "placeholder N, a sequence of the home's archive;"
                    + " archive deletion runs in it/scenarios/missing-archive.scn and seed002-*.scn (ScenarioIT)",
            "bin/redotrail archive delete --upto N [--thread T] [--force]", "placeholder N; see archive delete --sequence",
            "bin/redotrail scenario FILE --home DIR [--config FILE] [--set KEY=VALUE] [--keep]", "placeholders FILE and DIR;"
                    + " docs/scenarios.md's runnable line (scenario it/scenarios/kill-restart.scn) runs");

    /**
     * What documented command lines must print (a regular expression found in their output), by their text without
     * comment: the points where a walkthrough promises output, e.g. docs/operations.md's "Two hosts step by step".
     */
    static final Map<String, List<String>> PROMISED = Map.ofEntries(
            Map.entry("bin/redotrail keygen --home /tmp/rt-src 256 KEY1", List.of("Key KEY1 \\(256 bits\\) added to /tmp/rt-src/ENCKEYS")),
            Map.entry("bin/redotrail verify --home /tmp/rt-src --target \"jdbc:h2:file:/tmp/rt-tgt/db/target;AUTO_SERVER=TRUE\" --user sa --wait 120",
                    List.of("6 table\\(s\\) equal", "source and target are identical")),
            Map.entry("bin/redotrail ggsci --home /tmp/rt-src \"info all\"",
                    List.of("MANAGER +RUNNING", "EXTRACT +RUNNING +EXTA ", "EXTRACT +RUNNING +PUMHA ")),
            Map.entry("bin/redotrail ggsci --home /tmp/rt-tgt \"info all\"", List.of("MANAGER +RUNNING", "REPLICAT +RUNNING +REPA ")),
            Map.entry("bin/redotrail ggsci --home /tmp/rt-src \"send pumha, status\"",
                    List.of("Remote host 127\\.0\\.0\\.2:7809, trail \\./dirdat/ha: connected to 127\\.0\\.0\\.2:78[45]\\d \\(Manager port 7809\\),"
                            + " last acknowledgement \\S+ at seqno 0 RBA \\d+")),
            Map.entry("bin/redotrail ggsci --home /tmp/rt-src \"stats pumha\"",
                    List.of("Link to the collector \\(COMPRESS LZ4 COMPRESSTHRESHOLD 1000\\): raw \\d+ bytes, wire \\d+ bytes, ratio [\\d.]+:1,"
                            + " \\d+ of \\d+ frames compressed\\.", "Extracting from YDJK\\.ACCOUNT to YDJK\\.ACCOUNT:")),
            Map.entry("bin/redotrail logdump --home /tmp/rt-tgt \"open ./dirdat/ha000000000\" \"detail data\" next",
                    List.of("Encrypted images \\(\\d+ bytes\\) under key KEY1: encrypted, use ENCRYPT ON KEYNAME KEY1 to show them")),
            Map.entry("bin/redotrail logdump --home /tmp/rt-tgt \"open ./dirdat/ha000000000\" \"encrypt on keyname KEY1\" \"detail data\" next count",
                    List.of("After  Image:\\nColumn +0 \\(x0000\\), Len +\\d+ \\(x\\w+\\) +ID +LONG +\\d+",
                            "LogTrail /tmp/rt-tgt/dirdat/ha000000000 has \\d+ records", "Average of \\d+ Transactions")),
            Map.entry("cd /tmp/my-routes && mvn -B verify", List.of("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, .* in"
                    + " com\\.example\\.routes\\.AccountReplicationIT", "BUILD SUCCESS")),
            Map.entry("bin/redotrail ggsci --home /tmp/rt-src \"stop mgr!\"", List.of("Manager stopped\\.")),
            Map.entry("bin/redotrail ggsci --home /tmp/rt-tgt \"stop mgr!\"", List.of("Manager stopped\\.")));

    /** README's command table: the commands not exercised by {@link #theCommandTableWorksWithoutHomeAndTheRouteSnippetRuns}, and why. */
    static final Map<String, String> TABLE_NOT_RUN = Map.of(
            "mgr", "runs in the foreground until SIGTERM; ManagerIT, ManagerPurgeIT and PurgeKillIT run it in its own JVM",
            "bench", "measures for minutes and rewrites docs/performance.md; run by hand for the performance numbers",
            "scenario", "docs/scenarios.md's command line runs verbatim in readmeAndDocsCommandLinesRunVerbatim",
            "process", "needs groups added (dirchk/) and parameter files (dirprm/): GroupProcessIT runs extract, pump and"
                    + " replicat as three process JVMs, kills one, and checks the refusals");

    private Path work;
    private Path copy;
    /** REDOTRAIL_JAVA_OPTS of the command lines: the end-to-end tests' JVM options, with the copy's class-data archive. */
    private String javaOptions;
    private final List<DocCommands.Block> blocks = new ArrayList<>();
    private final List<Path> scratch = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    /** Held from the first step to the last: the documented homes and databases are the same for every run. */
    private FileChannel lockChannel;

    /**
     * The documents' scratch homes (/tmp/rt-src, ...), databases and Manager ports are fixed, so two runs on one
     * machine (two work trees) would wipe each other's: a run waits for the other's end on an OS lock of this file,
     * dropped by the OS if that JVM dies.
     */
    static final Path LOCK_FILE = Path.of("/tmp/redotrail-quickstart.lock");

    @BeforeAll
    void copyTheRepository() throws Exception {
        lockChannel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (lockChannel.tryLock() == null) {
            System.out.println("QuickStartIT: another run holds " + LOCK_FILE + " (its scratch homes and databases are"
                    + " the ones the documents name); waiting for it to end");
            lockChannel.lock();
        }
        work = PROJECT.resolve("target/quickstart");
        delete(work);
        copy = Files.createDirectories(work.resolve("redotrail"));
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(PROJECT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(git.getInputStream().readAllBytes());
        assertEquals(0, git.waitFor(), "git ls-files in " + PROJECT);
        for (String f : listing.split("\0")) {
            Path src = PROJECT.resolve(f);
            if (f.isEmpty() || !Files.isRegularFile(src)) continue; // deleted in the work tree, not yet committed
            Files.createDirectories(copy.resolve(f).getParent());
            // the sources keep their times, so the jar copied next is newer and bin/redotrail does not rebuild
            Files.copy(src, copy.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path lib = Files.createDirectories(copy.resolve("target/lib"));
        try (Stream<Path> jars = Files.list(PROJECT.resolve("target/lib"))) {
            for (Path j : jars.toList()) Files.copy(j, lib.resolve(j.getFileName()));
        }
        Path jar = Files.copy(PROJECT.resolve("target/redotrail.jar"), copy.resolve("target/redotrail.jar"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        // bin/redotrail runs java -jar from the copy: the build's class-data archive (-cp) does not map there
        javaOptions = String.join(" ", io.redotrail.it.ItJvms.childJvmOptions(
                () -> io.redotrail.it.ItClassData.forLauncher(copy, work.resolve("it-cds"))));
        blocks.addAll(DocCommands.blocks(copy.resolve("README.md")));
        try (Stream<Path> docs = Files.list(copy.resolve("docs"))) {
            for (Path d : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) blocks.addAll(DocCommands.blocks(d));
        }
    }

    @AfterAll
    void removeTheScratchState() throws Exception {
        try {
            for (Path p : scratch) {
                // a walkthrough that failed between start mgr and stop mgr! would leave its Manager and groups running
                if (Files.exists(p.resolve("dirchk/MGR.pid"))) sh("bin/redotrail ggsci --home " + p + " 'stop mgr!'", Map.of(), "stop-mgr");
                delete(p);
            }
            for (String db : databases) sh("psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS " + db + " WITH (FORCE)'", Map.of(), "drop-" + db);
        } finally {
            if (lockChannel != null) lockChannel.close(); // releases the lock: a waiting run goes on
        }
    }

    /** The home README's quick start made in {@link #readmeAndDocsCommandLinesRunVerbatim}, which later steps use. */
    private Path quickStartHome() {
        Path home = copy.resolve("home");
        assertTrue(Files.isDirectory(home.resolve("dirchk")), "the quick start's home " + home + " is missing: this step"
                + " runs on what readmeAndDocsCommandLinesRunVerbatim (@Order(2), 'bin/redotrail demo') made; run the whole"
                + " class, and see that step's failure first");
        return home;
    }

    private List<DocCommands.Command> commands() {
        return blocks.stream().flatMap(b -> DocCommands.commands(b).stream()).toList();
    }

    @Test
    @Order(1)
    void everyDocumentedCommandLineIsRunOrExcludedWithAReason() {
        List<DocCommands.Command> all = commands();
        assertTrue(all.stream().anyMatch(c -> c.key().equals("bin/redotrail demo") && c.where().startsWith("README.md")),
                "README.md's quick start 'bin/redotrail demo' not found among " + all);
        Set<String> keys = new TreeSet<>();
        for (DocCommands.Command c : all) {
            keys.add(c.key());
            String why = EXCLUDED.get(c.key());
            System.out.println(c.where() + "  " + c.key() + (why != null ? "   -- NOT RUN: " + why
                    : c.runnable().equals(c.text()) ? "" : "   -- runs as: " + c.runnable()));
            assertTrue(why != null || c.runnable() != null, c.where() + ": '" + c.key() + "' has placeholders: give it a"
                    + " runnable form in the document or add it to QuickStartIT.EXCLUDED with the reason");
        }
        Set<String> stale = new TreeSet<>(EXCLUDED.keySet());
        stale.removeAll(keys);
        assertEquals(Set.of(), stale, "QuickStartIT.EXCLUDED names command lines the documents no longer have");
        Set<String> unpromised = new TreeSet<>(PROMISED.keySet());
        unpromised.removeAll(keys);
        assertEquals(Set.of(), unpromised, "QuickStartIT.PROMISED names command lines the documents no longer have");
    }

    /**
     * README's first yaml block is a step applied to routes/pump.yaml and run in
     * {@link #theCommandTableWorksWithoutHomeAndTheRouteSnippetRuns}; every other yaml block of README.md and docs/
     * must be a verbatim part of a route file under routes/ (examples included), which runs as shipped: the
     * two-replicat example in TwoReplicatsIT and through README's command lines that enable it — or of a shipped
     * configuration file under config/ (config/prometheus.yml).
     */
    @Test
    @Order(1)
    void everyOtherYamlBlockIsVerbatimInAShippedRouteFile() throws Exception {
        List<DocCommands.Block> yaml = blocks.stream().filter(b -> b.lang().equals("yaml")).toList();
        assertTrue(!yaml.isEmpty() && yaml.get(0).where().startsWith("README.md"), "README's route snippet comes first: " + yaml);
        List<String> routeFiles = new ArrayList<>();
        try (Stream<Path> files = Files.walk(copy.resolve("routes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) routeFiles.add(Files.readString(f));
        }
        try (Stream<Path> files = Files.walk(copy.resolve("config"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) routeFiles.add(Files.readString(f));
        }
        for (DocCommands.Block b : yaml.subList(1, yaml.size())) {
            assertTrue(routeFiles.stream().anyMatch(f -> f.contains(b.text())),
                    b.where() + ": yaml block found verbatim in no file under routes/ or config/*.yml:\n" + b.text());
        }
    }

    @Test
    @Order(2)
    void readmeAndDocsCommandLinesRunVerbatim() throws Exception {
        // blocks on the default home run in document order; a block with a home of its own runs beside them
        Map<String, List<List<DocCommands.Command>>> lanes = new LinkedHashMap<>();
        List<List<DocCommands.Command>> last = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (DocCommands.Block b : blocks) {
            List<DocCommands.Command> run = DocCommands.commands(b).stream().filter(c -> !EXCLUDED.containsKey(c.key())).toList();
            if (run.isEmpty()) continue;
            String same = run.stream().map(DocCommands.Command::key).toList().toString();
            if (!seen.add(same)) {
                System.out.println(b.where() + ": the same command lines as an earlier block, run once");
                continue;
            }
            if (run.stream().anyMatch(c -> c.key().startsWith("mvn "))) {
                // a Maven build in the copy rewrites its target/ (the jar the other lanes' commands run): after them
                last.add(run);
                continue;
            }
            String home = run.stream().map(c -> DocCommands.home(c.text())).filter(h -> h != null).findFirst()
                    .orElse(run.stream().anyMatch(c -> c.key().startsWith("bin/redotrail scenario ")) ? "(scenario's own)" : "home/");
            lanes.computeIfAbsent(home, k -> new ArrayList<>()).add(run);
        }
        assertFalse(lanes.isEmpty());
        ExecutorService pool = Executors.newFixedThreadPool(lanes.size());
        List<String> failures = new ArrayList<>();
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (List<List<DocCommands.Command>> lane : lanes.values()) results.add(pool.submit(() -> runLane(lane)));
            for (Future<List<String>> f : results) failures.addAll(f.get());
        } finally {
            pool.shutdownNow();
        }
        failures.addAll(runLane(last));
        assertEquals(List.of(), failures, "documented command lines that failed (logs in " + work + ")");
    }

    private List<String> runLane(List<List<DocCommands.Command>> lane) throws Exception {
        List<String> failures = new ArrayList<>();
        for (List<DocCommands.Command> block : lane) {
            for (DocCommands.Command c : block) prepareScratch(c);
            for (DocCommands.Command c : block) {
                Run r = sh(c.runnable(), Map.of(), c.where().replace(':', '-'));
                System.out.printf("%s  %s  -> exit %d in %.1f s%n", c.where(), c.runnable(), r.exit(), r.seconds());
                boolean demo = c.key().contains("bin/redotrail demo");
                List<String> missing = PROMISED.getOrDefault(c.key(), List.of()).stream()
                        .filter(p -> !Pattern.compile(p).matcher(r.output()).find()).toList();
                if (r.exit() != 0 || demo && !r.output().contains("RESULT: source and target are identical") || !missing.isEmpty()) {
                    failures.add(c.where() + ": '" + c.runnable() + "' exited " + r.exit()
                            + (missing.isEmpty() ? "" : " without printing what the document promises: " + missing) + ":\n" + tail(r.output()));
                    break;
                }
            }
        }
        return failures;
    }

    /** A documented scratch home (--home /tmp/...) and database (CREATE DATABASE x) start empty and are removed after. */
    private void prepareScratch(DocCommands.Command c) throws Exception {
        String home = DocCommands.home(c.text());
        if (home != null && Path.of(home).isAbsolute()) {
            delete(Path.of(home));
            scratch.add(Path.of(home));
        }
        Matcher m = Pattern.compile("'CREATE DATABASE (\\w+)'").matcher(c.text());
        if (m.find()) {
            databases.add(m.group(1));
            Run drop = sh(c.text().replace(m.group(), "'DROP DATABASE IF EXISTS " + m.group(1) + " WITH (FORCE)'"), Map.of(), "drop-" + m.group(1));
            assertEquals(0, drop.exit(), "dropping " + m.group(1) + " first: " + drop.output());
        }
    }

    @Test
    @Order(3)
    /**
     * README's command table, each command without --home on the home the quick start made, with README's route
     * snippet in routes/pump.yaml: its log line must appear and the data still arrive.
     */
    void theCommandTableWorksWithoutHomeAndTheRouteSnippetRuns() throws Exception {
        Path home = quickStartHome();
        String readme = Files.readString(copy.resolve("README.md"));
        Set<String> table = new TreeSet<>();
        int at = readme.indexOf("| command | what it does |");
        assertTrue(at >= 0, "README.md's command table not found");
        String section = readme.substring(at, readme.indexOf("\n\n", at));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z]+)").matcher(section);
        while (row.find()) table.add(row.group(1));
        assertEquals(new TreeSet<>(List.of("archive", "bench", "completion", "ggsci", "keygen", "logdump", "mgr", "process", "run", "scenario", "simulate", "target", "verify")), table,
                "README's command table changed: exercise the new command here or add it to TABLE_NOT_RUN with the reason");
        TABLE_NOT_RUN.forEach((k, why) -> System.out.println("README command table: " + k + " -- NOT RUN here: " + why));

        DocCommands.Block snippet = blocks.stream().filter(b -> b.where().startsWith("README.md") && b.lang().equals("yaml"))
                .findFirst().orElseThrow(() -> new AssertionError("README.md has no yaml route snippet"));
        Path pump = copy.resolve("routes/pump.yaml");
        Files.writeString(pump, DocCommands.applySnippet(Files.readString(pump), snippet.lines()));
        String logLine = snippet.text().replaceAll("(?s).*message: \"([^$\"]*)\\$.*", "$1");
        assertTrue(logLine.startsWith("pump batch of"), "the snippet's log message: " + logLine);

        // the quick start made the target's tables: simulate and run (below) leave them alone without a word
        assertFalse(expect(0, "bin/redotrail simulate --transactions 300", "committed").contains("exists, left as is"));
        Path runLog = work.resolve("run.log");
        ProcessBuilder runner = new ProcessBuilder("bin/redotrail", "run").directory(copy.toFile()).redirectErrorStream(true)
                .redirectOutput(runLog.toFile());
        runner.environment().put("REDOTRAIL_JAVA_OPTS", javaOptions);
        Process run = runner.start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            // verify before run's Replicat holds the embedded H2 target would host it (AUTO_SERVER) and close it
            // under the Replicat when it exits (README, "H2 limits"): wait until REP1 reads its trail
            while (!Files.readString(runLog).contains("Group REP1 (REPLICAT) reading trail")) {
                assertTrue(run.isAlive(), "run died:\n" + Files.readString(runLog));
                assertTrue(Instant.now().isBefore(deadline), "REP1 did not start within 3 minutes:\n" + Files.readString(runLog));
                Thread.sleep(100);
            }
            Run verify;
            do {
                assertTrue(run.isAlive(), "run died:\n" + Files.readString(runLog));
                verify = sh("bin/redotrail verify", Map.of(), "verify");
            } while (verify.exit() != 0 && Instant.now().isBefore(deadline));
            assertEquals(0, verify.exit(), "verify while run runs:\n" + verify.output() + "\nrun:\n" + Files.readString(runLog));
            expect(0, "bin/redotrail ggsci \"info all\"", "RUNNING");
            expect(0, "bin/redotrail archive list", "THREAD");
        } finally {
            run.destroy(); // SIGTERM: graceful stop
        }
        assertEquals(0, run.waitFor(), "run's exit code after SIGTERM:\n" + Files.readString(runLog));
        String out = Files.readString(runLog);
        assertTrue(out.contains("running with home " + home) && out.contains(logLine), out);
        assertFalse(out.contains("exists, left as is") || out.contains("YDJK.ACCOUNT: created"), out);
        assertTrue(expect(0, "bin/redotrail demo --transactions 300", "identical").contains(logLine));
        // the configured target already has the tables run made
        assertTrue(expect(0, "bin/redotrail target create", "Target: jdbc:h2:file:" + home)
                .contains("  YDJK.ACCOUNT: exists, left as is\n"));
        expect(0, "bin/redotrail completion", "complete -F _complete_redotrail");
        expect(0, "bin/redotrail keygen 256 QUICKSTART", "Key QUICKSTART (256 bits) added to " + home.resolve("ENCKEYS"));
        expect(0, "bin/redotrail logdump \"open ./dirdat/ex000000000\" next count", "LogTrail " + home.resolve("dirdat/ex000000000") + " has ");
    }

    @Test
    @Order(4)
    void aConfigurationThatWouldRunNothingOrMisspellsAKeyStopsWithExit2() throws Exception {
        Path config = copy.resolve("config/application.properties");
        String shipped = Files.readString(config);
        try {
            Files.writeString(config, shipped.replace("camel.main.routes-include-pattern = file:routes/*.yaml",
                    "camel.main.routes-include-pattern = file:route/*.yaml"));
            int line = lineOf(config, "camel.main.routes-include-pattern");
            expect(2, "bin/redotrail run", "config/application.properties:" + line
                    + ": key 'camel.main.routes-include-pattern' = 'file:route/*.yaml': matches no route file");
            Files.writeString(config, shipped.replace("camel.main.routes-include-pattern = file:routes/*.yaml", ""));
            expect(2, "bin/redotrail demo", "key 'camel.main.routes-include-pattern' is missing");
            Files.writeString(config, shipped.replace("redotrail.replicat.groupTransOps =", "redotrail.replicat.grouptransops ="));
            expect(2, "bin/redotrail run", "config/application.properties:" + lineOf(config, "redotrail.replicat.grouptransops")
                    + ": unknown key 'redotrail.replicat.grouptransops' (nearest valid key: 'redotrail.replicat.groupTransOps')");
        } finally {
            Files.writeString(config, shipped);
        }
        Run r = sh("bin/redotrail verify", Map.of("REDOTRAIL_JAVA_OPTS", "-Dredotrail.replicat.batchSql=yes"), "bad-minus-d");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("-Dredotrail.replicat.batchSql (system property): key 'redotrail.replicat.batchSql'"
                + " = 'yes': must be true or false"), r.output());
        expect(2, "bin/redotrail verify --set redotrail.replicat.batchSql=yes",
                "--set: key 'redotrail.replicat.batchSql' = 'yes': must be true or false");
        // REDOTRAIL_JAVA_OPTS adds to the default heap instead of replacing it
        Run flags = sh("bin/redotrail help", Map.of("REDOTRAIL_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "java-opts");
        assertEquals(0, flags.exit(), flags.output());
        assertTrue(flags.output().contains("-XX:MaxHeapSize=2147483648"), flags.output());
    }

    @Test
    @Order(5)
    void aSourceNewerThanTheJarMakesBinRedotrailRebuildIt() throws Exception {
        Path jar = copy.resolve("target/redotrail.jar");
        Run fresh = sh("bin/redotrail help", Map.of(), "help-fresh");
        assertTrue(fresh.exit() == 0 && !fresh.output().contains("building"), fresh.output());
        Path source = copy.resolve("src/main/java/io/redotrail/cli/Main.java");
        Files.setLastModifiedTime(source, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(1)));
        // -o: the build that runs this test has every plugin and dependency in the local repository already
        Run stale = sh("bin/redotrail help", Map.of("REDOTRAIL_MVN_OPTS", "-o"), "help-stale");
        assertEquals(0, stale.exit(), stale.output());
        assertTrue(stale.output().contains("sources newer than " + jar) && stale.output().contains("usage:"), stale.output());
        assertTrue(Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(source)) >= 0, "jar not rebuilt");
        Run again = sh("bin/redotrail help", Map.of(), "help-again");
        assertTrue(again.exit() == 0 && !again.output().contains("building"), again.output());
    }

    // ---------------------------------------------------------------- processes and files

    record Run(int exit, String output, double seconds) {
    }

    /**
     * {@code bash -c line} in the copy, output kept in target/quickstart/NAME.log; the user's REDOTRAIL_* unset,
     * REDOTRAIL_JAVA_OPTS set to the end-to-end tests' JVM options unless {@code env} sets it.
     */
    private Run sh(String line, Map<String, String> env, String name) throws Exception {
        Path log = work.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(copy.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("REDOTRAIL_"));
        // the JVM options every program JVM of the end-to-end tests gets (ItJvms.childJvmOptions: C1 only, less CPU
        // for JVMs that live seconds), through the documented variable, which a Manager hands on to its groups; the
        // command lines still run as written, and a test of the variable itself sets its own value
        pb.environment().put("REDOTRAIL_JAVA_OPTS", javaOptions);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("'" + line + "' did not finish within " + COMMAND_TIMEOUT + ":\n" + tail(Files.readString(log)));
        }
        return new Run(p.exitValue(), Files.readString(log), (System.nanoTime() - t0) / 1e9);
    }

    private String expect(int exit, String line, String contains) throws Exception {
        Run r = sh(line, Map.of(), line.replaceAll("\\W+", "-"));
        assertEquals(exit, r.exit(), "'" + line + "':\n" + r.output());
        assertTrue(r.output().contains(contains), "'" + line + "' should print '" + contains + "':\n" + r.output());
        return r.output();
    }

    private static int lineOf(Path file, String key) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(key)) return i + 1;
        throw new AssertionError(key + " not in " + file);
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
