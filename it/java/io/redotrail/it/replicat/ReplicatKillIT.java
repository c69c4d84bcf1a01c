package io.redotrail.it.replicat;

import io.redotrail.bench.PrewrittenTrail;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * kill -9 of a Replicat mid-transaction loses nothing and applies nothing twice. The trail is pre-written in
 * this JVM (simulate, then the real extract and pump routes); the real replicat route then runs alone in a
 * separate JVM ({@code Main run} with {@code -Dcamel.main.routes-include-pattern=file:routes/replicat.yaml}),
 * is killed with destroyForcibly at random moments at least 20 times while it applies, each time restarted with
 * a randomly chosen GROUPTRANSOPS (1, 100, 1000) and BATCHSQL (on/off), and finally runs to the end of the
 * trail. Then the target equals the source row for row (TableComparer) and the checkpoint table holds the
 * trail's last CSN. H2 target, and PostgreSQL (a database of its own, dropped afterwards).
 */
class ReplicatKillIT {
    static final Path PROJECT = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath();
    static final Path CONFIG = PROJECT.resolve("config/application.properties");
    static final int KILLS = Integer.getInteger("redotrail.it.kills", 20);
    static final String PG = System.getProperty("redotrail.test.pgBase", "jdbc:postgresql://127.0.0.1:5432/");

    /**
     * H2 as a database server in this JVM (TCP), as a real target runs apart from the Replicat: kill -9 kills the
     * Replicat, not the database. (With the embedded default URL, kill -9 kills the database too; H2 then loses
     * its last commits — handled, see OGG-30176 in docs/replicat.md — and after many kills it corrupted its file.)
     */
    @Test
    void killNineMidTransactionOnH2() throws Exception {
        Path home = Files.createDirectories(PROJECT.resolve("target/it-replicat-kill/h2-" + System.currentTimeMillis()));
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists",
                "-baseDir", Files.createDirectories(home.resolve("db")).toString()).start();
        // DB_CLOSE_DELAY=-1: the database stays open in the server while its clients are killed, as a real target
        // server does. Without it H2 closes the store whenever the last client dies and reopens it for the next;
        // H2 2.3.232 then sometimes fails to reopen it ("File corrupted while reading record ... Double mark",
        // MVStore FreeSpaceBitSet.markUsed in readStoreHeader; upstream h2database#2752), in runs with and without
        // the 1 MB CLOBs. Those are left out here all the same (PostgreSQL runs the full workload).
        System.setProperty("redotrail.workload.lobRatio", "0");
        try {
            run(home, "jdbc:h2:tcp://localhost:" + server.getPort() + "/target;DB_CLOSE_DELAY=-1", "sa");
        } finally {
            System.clearProperty("redotrail.workload.lobRatio");
            server.stop();
        }
    }

    @Test
    void killNineMidTransactionOnPostgreSQL() throws Exception {
        Path home = Files.createDirectories(PROJECT.resolve("target/it-replicat-kill/pg-" + System.currentTimeMillis()));
        String db = "rt_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection(PG + "test", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        try {
            run(home, PG + db, "postgres");
        } finally {
            try (Connection c = DriverManager.getConnection(PG + "test", "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    /**
     * kill -9 of a Replicat whose target is embedded H2, as the default URL has it: the database dies with the
     * Replicat. WRITE_DELAY=0 (in the default URL) makes H2 write each commit before the commit returns, and leaves
     * it no background writer, which could store part of a group not yet committed without what would undo it
     * (README.md, "Target databases"): what the checkpoint row says is applied is there, and nothing of a group
     * that was not committed. Ten kills; the rest as for H2 as a server.
     */
    @Test
    void killNineMidTransactionOnEmbeddedH2() throws Exception {
        Path home = Files.createDirectories(PROJECT.resolve("target/it-replicat-kill/embedded-" + System.currentTimeMillis()));
        String url = "jdbc:h2:file:" + home.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0;WRITE_DELAY=0";
        assertTrue(Files.readString(CONFIG).contains(";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0;WRITE_DELAY=0\n"), "the default URL's settings");
        System.setProperty("redotrail.workload.lobRatio", "0"); // as for H2 as a server
        try {
            run(home, url, "sa", 10);
        } finally {
            System.clearProperty("redotrail.workload.lobRatio");
        }
    }

    /**
     * SIGTERM while the Replicat applies, with the default embedded H2 target (the database lives in the Replicat's
     * JVM and closes in a shutdown hook of its own): each stop must finish the open group, exit 0 and not abend;
     * the last life runs to the end. Then the target equals the source row for row.
     */
    @Test
    void sigtermMidApplyOnEmbeddedH2StopsCleanly() throws Exception {
        Path home = Files.createDirectories(PROJECT.resolve("target/it-replicat-kill/term-" + System.currentTimeMillis()));
        // MAX_COMPACT_TIME=0 as in the product's default URL: every close of the database (the Replicat's at each
        // SIGTERM, this JVM's after prepare and compare) would otherwise compact it, and H2 2.3.232 can fail there
        // (see README.md, "Target databases")
        String url = "jdbc:h2:file:" + home.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
        System.setProperty("redotrail.workload.lobRatio", "0");
        PrewrittenTrail.Contents trail;
        try {
            trail = extend(home, url, "sa", 30_000, 11);
        } finally {
            System.clearProperty("redotrail.workload.lobRatio");
        }
        Files.createDirectories(home.resolve("dirrpt"));
        Random rnd = new Random(Long.getLong("redotrail.it.seed", System.nanoTime()));
        for (int life = 1; life <= 3; life++) {
            Path lifeLog = home.resolve("dirrpt/replicat-term-" + life + ".log");
            Process p = child(home, url, "sa", 1000, true, lifeLog);
            waitUntilReading(p, lifeLog);
            long delay = 100 + rnd.nextInt(400);
            assertFalse(p.waitFor(delay, TimeUnit.MILLISECONDS), "the replicat exited by itself, see " + lifeLog);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "graceful stop within 60 s, see " + lifeLog);
            String log = Files.readString(lifeLog);
            assertEquals(0, p.exitValue(), "exit code of a graceful stop (life " + life + ", SIGTERM after " + delay + " ms), see " + lifeLog);
            assertFalse(log.contains("ABENDING") || log.contains("ABENDED"), "no abend at a graceful stop, see " + lifeLog);
            assertTrue(log.contains("SIGTERM received"), "the run command handled SIGTERM itself, see " + lifeLog);
        }
        Path finalLog = home.resolve("dirrpt/replicat-final.log");
        Process p = child(home, url, "sa", 1000, true, finalLog);
        // Poll only once the Replicat holds the database (it reads its checkpoint before "reading trail"): this JVM
        // is then an AUTO_SERVER client of it. Polled earlier, this JVM opened the file itself, and the Replicat
        // started against a database this JVM then closed (and, with -ea here, H2's close could die half-way).
        waitUntilReading(p, finalLog);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (checkpointCsn(home, url, "sa").orElse(0L) < trail.lastCsn()) {
            assertTrue(p.isAlive(), "the replicat died, see replicat-final.log");
            assertTrue(System.nanoTime() < deadline, "the replicat did not catch up within 5 minutes");
            Thread.sleep(500);
        }
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "graceful stop");
        assertEquals(0, p.exitValue());
        compare(home, url, "sa", List.of("three SIGTERMs mid-apply"));
        assertEquals(trail.lastCsn(), checkpointCsn(home, url, "sa").orElseThrow(), "checkpoint table holds the last applied CSN");
    }

    static void waitUntilReading(Process p, Path lifeLog) throws Exception {
        long t0 = System.nanoTime();
        while (!(Files.exists(lifeLog) && Files.readString(lifeLog).contains("reading trail"))) {
            assertTrue(p.isAlive(), "the replicat exited by itself (exit " + (p.isAlive() ? 0 : p.exitValue()) + "), see " + lifeLog);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "the replicat did not start, see " + lifeLog);
            Thread.sleep(20);
        }
    }

    /** Target = source row for row, with the kill history in the failure message. */
    static void compare(Path home, String targetUrl, String user, List<String> history) throws Exception {
        TablePatterns selected = TablePatterns.parse("YDJK.*; POS_USER9.*");
        List<String> tables = SourceSchema.demo().tables().stream().map(TableDef::name).filter(selected::matches).toList();
        VerifyReport r = new TableComparer(SourceDatabase.jdbcUrl(home), "sa", "", targetUrl, user, "").compare(tables);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String summary = String.join("\n", history) + "\n" + out.toString(StandardCharsets.UTF_8);
        System.out.println(summary);
        assertTrue(r.allEqual(), "source and target differ:\n" + summary);
    }

    private void run(Path home, String targetUrl, String user) throws Exception {
        run(home, targetUrl, user, KILLS);
    }

    private void run(Path home, String targetUrl, String user, int killsWanted) throws Exception {
        PrewrittenTrail.Contents trail = extend(home, targetUrl, user, Integer.getInteger("redotrail.it.transactions", 30_000), 7);
        assertTrue(trail.operations() > 50_000, "a workload worth killing: " + trail.operations());
        Random rnd = new Random(Long.getLong("redotrail.it.seed", System.nanoTime()));
        Files.createDirectories(home.resolve("dirrpt"));
        int kills = 0;
        int lives = 0;
        long lastCsn = 0;
        int maxDelay = 1000; // adapted so that the kills spread over the whole trail
        List<String> history = new ArrayList<>();
        while (kills < killsWanted) {
            assertTrue(lives < killsWanted * 4, "too many lives without " + killsWanted + " kills while applying: " + history);
            if (lastCsn >= trail.lastCsn()) {
                // the replicat caught up before it was killed often enough: the source goes on, the trail grows
                trail = extend(home, targetUrl, user, 10_000, 100 + lives);
                history.add("trail extended to CSN " + trail.lastCsn());
            }
            int gto = new int[]{1, 100, 1000}[rnd.nextInt(3)];
            boolean batch = rnd.nextBoolean();
            Path lifeLog = home.resolve("dirrpt/replicat-life-" + (lives + 1) + ".log");
            Process p = child(home, targetUrl, user, gto, batch, lifeLog);
            lives++;
            // kill at a random moment after the route started reading the trail: it is applying then
            waitUntilReading(p, lifeLog);
            long delay = rnd.nextInt(maxDelay);
            boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
            assertFalse(exited, "the replicat exited by itself (exit " + (exited ? p.exitValue() : 0) + "), see " + lifeLog);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            long csn = checkpointCsn(home, targetUrl, user).orElse(0L);
            boolean mid = csn < trail.lastCsn();
            if (mid) kills++; // killed while applying (it had made progress and had more to do)
            history.add("life " + lives + " GROUPTRANSOPS " + gto + " BATCHSQL " + batch + " killed after " + delay
                    + " ms after it started reading the trail, checkpoint CSN " + csn + (mid ? "" : " (already done: not counted)"));
            lastCsn = csn;
            double done = (double) csn / trail.lastCsn();
            maxDelay = done > (double) kills / killsWanted ? Math.max(50, maxDelay / 2) : Math.min(1500, maxDelay * 5 / 4);
        }
        // the last life runs to the end of the trail, then stops gracefully (SIGTERM)
        Path finalLog = home.resolve("dirrpt/replicat-final.log");
        Process p = child(home, targetUrl, user, 1000, true, finalLog);
        waitUntilReading(p, finalLog);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (checkpointCsn(home, targetUrl, user).orElse(0L) < trail.lastCsn()) {
            assertTrue(p.isAlive(), "the replicat died, see replicat-final.log");
            assertTrue(System.nanoTime() < deadline, "the replicat did not catch up within 5 minutes, see replicat-final.log");
            Thread.sleep(500);
        }
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "graceful stop");

        history.add(kills + " kills");
        compare(home, targetUrl, user, history);
        assertEquals(trail.lastCsn(), checkpointCsn(home, targetUrl, user).orElseThrow(), "checkpoint table holds the last applied CSN");
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home.resolve("dirrpt"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("replicat-")).toList()) all.append(Files.readString(f));
        }
        String childLog = all.toString();
        assertFalse(childLog.contains("Group EXT1") || childLog.contains("Group PUMP1"), "only the replicat route ran in the child");
        assertTrue(childLog.contains("GROUPTRANSOPS 1,") || childLog.contains("GROUPTRANSOPS 1 "), "-D overrides reach the routes");
    }

    /** Adds a workload to the source and runs extract and pump until idle; returns the whole remote trail. */
    static PrewrittenTrail.Contents extend(Path home, String targetUrl, String user, int transactions, long seed) throws Exception {
        System.setProperty("redotrail.target.jdbcUrl", targetUrl); // Settings and Camel in this JVM
        System.setProperty("redotrail.target.user", user);
        try {
            return PrewrittenTrail.prepare(CONFIG, home, transactions, seed);
        } finally {
            System.clearProperty("redotrail.target.jdbcUrl");
            System.clearProperty("redotrail.target.user");
        }
    }

    static Process child(Path home, String url, String user, int gto, boolean batch, Path log, String... sets) throws Exception {
        return child(home, url, user, gto, batch, log, List.of(), sets);
    }

    /** As above, with extra JVM options (system properties) for the child. */
    static Process child(Path home, String url, String user, int gto, boolean batch, Path log, List<String> jvm,
                         String... sets) throws Exception {
        // the serial collector beside the program JVMs' options (ItJvms.mainJvm: C1 only, the class-data archive): a
        // life is mostly JVM and Camel start-up, which then needs less CPU on 2 shared cores; what is tested (kill -9,
        // restart, the rows) depends on none of them
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        options.addAll(jvm);
        List<String> args = new ArrayList<>(List.of("run", "--home", home.toString(),
                "--set", "camel.main.routes-include-pattern=file:routes/replicat.yaml",
                "--set", "redotrail.target.jdbcUrl=" + url, "--set", "redotrail.target.user=" + user,
                "--set", "redotrail.replicat.groupTransOps=" + gto, "--set", "redotrail.replicat.batchSql=" + batch));
        for (String set : sets) args.addAll(List.of("--set", set));
        Files.writeString(log, "==== " + String.join(" ", args) + (jvm.isEmpty() ? "" : " (JVM " + jvm + ")") + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return io.redotrail.it.ItJvms.mainJvm(options, new String[0], args.toArray(String[]::new))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** LOG_CSN of REP1 of {@code home} in GGADMIN.CHECKPOINT, or empty. */
    static Optional<Long> checkpointCsn(Path home, String url, String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            return new CheckpointTable("GGADMIN.CHECKPOINT", home.toString()).read(c, "REP1").map(r -> r.logCsn().value());
        } catch (SQLException e) {
            if (e.getMessage().toLowerCase(Locale.ROOT).contains("checkpoint")) return Optional.empty(); // not created yet
            throw e;
        }
    }

    @SuppressWarnings("unused")
    private static Map<String, String> none() {
        return Map.of();
    }
}
