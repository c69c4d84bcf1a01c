package io.redotrail.it.net;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.cli.CliAccess;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.it.ItSupport;
import io.redotrail.it.ItReadBack;
import io.redotrail.it.ItJvms;
import io.redotrail.it.ItDatabases;
import io.redotrail.report.GroupLock;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.TableComparer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two-host setup the network tests share: a source home (EXT1 reading the simulated redo into ./dirdat/ex,
 * PUMP1 sending it with RMTHOST/MGRPORT) and a target home (its Manager starting the collector that writes
 * ./dirdat/ha, REP1 applying it to the target home's H2 database), under target/it-homes/TEST/{source,target}
 * (kept after a failure). Workloads play into the source from this JVM. The end: both Managers stopped, then
 * source = target row for row, and the remote trail holds every transaction of the local trail exactly once, each
 * with the same row changes, in commit order. Not thread-safe, except {@link #plays} (a player thread adds).
 */
public final class TwoHomes {
    /** Retries enough for a hostile link: the test decides when it is over, not a retry budget. */
    public static final String TCPERRS = "ECONNREFUSED RETRY 20 1000; ECONNRESET RETRY 20 1000; ETIMEDOUT RETRY 20 1000;"
            + " ECONNABORTED RETRY 20 1000; EPIPE RETRY 20 1000; NODYNPORTS RETRY 20 1000; ENETUNREACH RETRY 20 1000;"
            + " EHOSTUNREACH RETRY 20 1000"; // 0.2 s apart, 1000 in a row

    public final String test;
    public final Path root;
    public final Host source;
    public final Host target;
    public final String targetUrl;
    /** The source home's settings, its target database the target home's. */
    public final Settings s;
    /** The target home's settings (REP1's checkpoint table). */
    public final Settings t;
    final List<CliAccess.Played> plays = Collections.synchronizedList(new ArrayList<>());
    private final List<Connection> hosted = new ArrayList<>();
    private Settings playSettings;
    private String pump;

    /** {@code workload}: key, value pairs over the source's workload settings (e.g. its lobRatio). */
    public TwoHomes(String test, Netns netns, String... workload) throws IOException {
        this.test = test;
        this.root = PROJECT.resolve("target/it-homes/" + test);
        deleteTree(root);
        Path src = root.resolve("source");
        Path tgt = root.resolve("target");
        Files.createDirectories(src);
        Files.createDirectories(tgt);
        source = new Host(test, "source", src, netns, netns == null ? null : netns.source);
        target = new Host(test, "target", tgt, netns, netns == null ? null : netns.target);
        targetUrl = "jdbc:h2:file:" + tgt.resolve("db/target") + ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0";
        List<String> keys = new ArrayList<>(List.of("redotrail.target.jdbcUrl", targetUrl));
        keys.addAll(List.of(workload));
        s = ItSupport.settings(src, keys.toArray(String[]::new));
        t = ItSupport.settings(tgt, "redotrail.replicat.group", "REP1");
    }

    /**
     * Plays the first workload (it creates the source home, its redo and the target's tables). {@code host}: this
     * JVM then keeps both databases open and so hosts them (H2 AUTO_SERVER), as a real database outlives a killed
     * process; not with namespaces, where REP1 could not reach this JVM's database server.
     */
    public void firstPlay(int transactions, long seed, boolean host) throws SQLException {
        plays.add(ItSupport.play(s, transactions, seed));
        // a play also makes sure the target's tables exist; once REP1 in another namespace owns the target
        // database this JVM cannot reach it (its H2 auto-server is there): later plays check a throwaway one
        playSettings = host ? s : ItSupport.settings(source.home, "redotrail.target.jdbcUrl", "jdbc:h2:mem:" + test + "-unused",
                "redotrail.workload.lobRatio", s.get("redotrail.workload.lobRatio"));
        if (host) {
            hosted.add(DriverManager.getConnection(targetUrl, "sa", ""));
            hosted.add(DriverManager.getConnection(io.redotrail.sim.SourceDatabase.jdbcUrl(source.home), "sa", ""));
        }
    }

    /**
     * The groups, defined as GGSCI defines them: EXT1 by its checkpoint file at the start of the redo (contract 1:
     * what ADD EXTRACT ... TRANLOG writes; BEGIN NOW would miss the first workload), the pump and the Replicat by
     * GGSCI's ADD commands in their hosts; the parameter files with {@code rmthost} as the pump's RMTHOST line.
     */
    public void addGroups(String pump, String rmthost) throws Exception {
        this.pump = pump;
        long now = System.currentTimeMillis();
        new CheckpointFile(CheckpointFile.extractFile(source.home, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT", List.of(), null,
                List.of(new WriteCheckpoint("./dirdat/ex", new TrailPosition(0, 0), now, "EXTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        // the two hosts' GGSCI JVMs side by side: each JVM start costs seconds on a loaded machine
        CompletableFuture<Void> rep = CompletableFuture.runAsync(() -> ok(target, "add replicat rep1, exttrail ./dirdat/ha"));
        addPump(pump, rmthost);
        join(rep);
        source.prm("EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nTABLE *.*;\n");
        target.prm("REP1", "REPLICAT REP1\nMAP YDJK.*, TARGET YDJK.*;\nMAP POS_USER9.*, TARGET POS_USER9.*;\n");
    }

    /**
     * A pump in the source home reading ./dirdat/ex and sending ./dirdat/ha, added by GGSCI's ADD commands, and
     * its parameter file ({@link #pumpPrm}).
     */
    public void addPump(String pump, String rmthost) throws IOException {
        ok(source, "add extract " + pump + ", exttrailsource ./dirdat/ex", "add rmttrail ./dirdat/ha, extract " + pump + ", megabytes 1");
        pumpPrm(pump, rmthost);
    }

    /** The parameter file of a PASSTHRU pump sending ./dirdat/ha, {@code rmthost} its RMTHOST line. */
    public void pumpPrm(String pump, String rmthost) throws IOException {
        source.prm(pump, "extract " + pump.toLowerCase() + "\npassthru\n" + rmthost + "\nrmttrail ./dirdat/ha\nNUMFILES 3000\n"
                + "table YDJK.*;\ntable POS_USER9.*;\n");
    }

    private static void ok(Host h, String... commands) {
        ItJvms.Cli c;
        try {
            c = h.ggsci(commands);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(h + ": " + List.of(commands), e);
        }
        assertEquals(0, c.exitCode(), h + ": " + List.of(commands) + "\n" + c.output());
        assertTrue(!c.output().contains("ERROR"), h + ": " + c.output());
    }

    /** The result of a side job; its assertion error as this thread's. */
    private static void join(CompletableFuture<Void> job) {
        try {
            job.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /**
     * Starts both Managers side by side (the target's first, so a pump rarely meets a refused connection) and waits
     * for both; {@code sourceExtra}: the source Manager's extra arguments (e.g. {@code --set} of the pump's TCPERRS).
     */
    public void startManagers(String... sourceExtra) throws IOException {
        int t0 = target.launchManager();
        int s0 = source.launchManager(sourceExtra);
        target.awaitManager(t0);
        source.awaitManager(s0);
    }

    /** Plays a workload into the source (after {@link #firstPlay}). */
    public void play(int transactions, long seed) {
        plays.add(ItSupport.play(playSettings, transactions, seed));
    }

    public void mgrPrm(Host h, String text) throws IOException {
        h.prm("MGR", text);
    }

    /** The newest CSN the workloads played so far selected. */
    public long lastCsn() {
        synchronized (plays) {
            return plays.stream().mapToLong(CliAccess.Played::lastSelectedCsn).max().orElse(0);
        }
    }

    /** Bytes the remote trail's files hold now (grows with every acknowledged batch). */
    public long remoteTrailBytes() {
        try (Stream<Path> files = Files.list(target.home.resolve("dirdat"))) {
            return files.filter(f -> f.getFileName().toString().matches("ha\\d{9}")).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0; // dirdat not created yet
        }
    }

    /** REP1's LOG_CSN over JDBC (this JVM hosts the target database). */
    public long logCsn() {
        return ItSupport.logCsn(t);
    }

    public void awaitApplied(long csn, Duration timeout) {
        await("REP1 in the target home to apply CSN " + csn, timeout, () -> logCsn() >= csn,
                () -> "LOG_CSN " + logCsn() + state());
    }

    /**
     * Without JDBC (REP1 in another namespace owns the database): the remote trail holds CSN {@code csn} and
     * REP1's checkpoint file has read past it.
     */
    public void awaitAppliedByFiles(long csn, Duration timeout) {
        TrailPosition[] checked = {null};
        await("REP1 in the target home to read past CSN " + csn, timeout, () -> {
            TrailPosition read = new CheckpointFile(CheckpointFile.replicatFile(target.home, "REP1")).read()
                    .map(cp -> cp.trailRead().current()).orElse(TrailPosition.START);
            // the whole remote trail is read again only once REP1 moved: not every 50 ms while it does not
            if (read.equals(checked[0])) return false;
            checked[0] = read;
            List<Transaction> ha = ItReadBack.readTrail(target.home, "ha");
            Transaction last = ha.stream().filter(x -> x.csn().value() == csn).findFirst().orElse(null);
            return last != null && read.compareTo(last.trailEnd()) >= 0;
        }, this::state);
    }

    public String state() {
        return "\nremote trail " + remoteTrailBytes() + " bytes\n---- source ggserr.log\n" + source.ggserr()
                + "\n---- target ggserr.log\n" + target.ggserr() + "\n(homes kept in " + root + ")";
    }

    /**
     * Stops both Managers (and so every group, gracefully), releases the databases, then: REP1's LOG_CSN is the last
     * played CSN, and {@link #assertDelivered}.
     */
    public void verify() throws Exception {
        // STOP through GGSCI first: a group an earlier (killed) Manager started is no child of the running one,
        // which stops only its own children when it stops
        for (Host h : List.of(source, target)) {
            ok(h, "stop er *");
            for (String lock : List.of("EXT1", pump, "REP1")) {
                await(h.name + " " + lock + " to stop", Host.WAIT, () -> !GroupLock.held(h.home, lock), this::state);
            }
        }
        assertEquals(0, source.stopManager(), "source Manager exit after SIGTERM; see " + source.log("mgr"));
        assertEquals(0, target.stopManager(), "target Manager exit after SIGTERM; see " + target.log("mgr"));
        assertTrue(!GroupLock.held(target.home, "COLLECTOR_ha"), "a collector of ./dirdat/ha runs on after its Manager stopped" + state());
        releaseDatabases();
        assertEquals(lastCsn(), logCsn(), "REP1's LOG_CSN = the last CSN played");
        assertDelivered("at the end");
    }

    /** Closes this JVM's connections that host the databases (after the programs using them stopped). */
    public void releaseDatabases() throws SQLException {
        for (Connection c : hosted) c.close();
        hosted.clear();
    }

    /**
     * Once the target applied all played so far (the groups may run on): source = target row for row; the remote
     * trail holds each transaction of the local trail once, with the same changes, in commit order.
     */
    public void assertDelivered(String when) {
        TableComparer comparer = new TableComparer(HomeSetup.sourceUrl(s), "sa", "", targetUrl, "sa", "");
        ItDatabases.assertTablesEqual(comparer, SourceSchema.demo().tables().stream().map(TableDef::name).toList(),
                test + ": source and target " + when);

        List<Transaction> ex = ItReadBack.readTrail(source.home, "ex");
        List<Transaction> ha = ItReadBack.readTrail(target.home, "ha");
        Map<Xid, Integer> times = new HashMap<>();
        for (Transaction x : ha) times.merge(x.xid(), 1, Integer::sum);
        List<String> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " x" + e.getValue()).limit(10).toList();
        assertTrue(twice.isEmpty(), "transactions written more than once to the remote trail " + when + ": " + twice);
        Map<Xid, Transaction> local = new HashMap<>();
        for (Transaction x : ex) if (!x.changes().isEmpty()) local.put(x.xid(), x);
        assertEquals(local.keySet(), times.keySet(), "the remote trail holds exactly the local trail's transactions " + when);
        for (Transaction x : ha) {
            Transaction l = local.get(x.xid());
            assertEquals(l.csn(), x.csn(), "CSN of " + x.xid());
            assertEquals(l.changes(), x.changes(), "the row changes of " + x.xid() + " (at " + x.trailStart() + " in ./dirdat/ha)");
        }
        ItReadBack.assertCsnOrder(ha, test + ": ./dirdat/ha in the target home " + when);
        System.out.println(test + " " + when + ": " + ha.size() + " transactions in ./dirdat/ha, "
                + ItReadBack.trailSeqnos(target.home, "ha").length + " files, each once, equal to ./dirdat/ex");
    }

    /** A test's steps on these homes; they may throw. */
    public interface Steps {
        void run() throws Exception;
    }

    /** Runs {@code steps}; a failure carries {@link #state}; {@link #cleanUp} in any case. */
    public void run(Steps steps) throws Exception {
        try {
            steps.run();
        } catch (Throwable e) {
            e.addSuppressed(new AssertionError(state()));
            throw e;
        } finally {
            cleanUp();
        }
    }

    /** Closes what {@link #verify} did not (after a failure): Managers, database connections. */
    public void cleanUp() throws Exception {
        for (Host h : List.of(source, target)) {
            Process m = h.manager();
            if (m != null && m.isAlive()) {
                m.destroy();
                if (!m.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) m.destroyForcibly();
            }
        }
        // groups a killed Manager started outlive the next Manager's stop: end those still holding a lock of
        // these homes (their command line names the home: a reused pid is left alone)
        for (Host h : List.of(source, target)) {
            for (String lock : List.of("EXT1", pump == null ? "PUMP1" : pump, "REP1", "COLLECTOR_ha")) {
                long pid = h.lockPid(lock);
                if (pid <= 0) continue;
                ProcessHandle.of(pid).filter(ph -> ph.info().commandLine().map(c -> c.contains(h.home.toString())).orElse(false))
                        .ifPresent(ph -> {
                            System.err.println(test + ": ending " + lock + " (pid " + ph.pid() + ") left running in " + h.home);
                            ph.destroyForcibly();
                        });
            }
        }
        for (Connection c : hosted) c.close();
    }

    /** A free port on loopback. */
    public static int freePort() throws IOException {
        return freePort(InetAddress.getLoopbackAddress());
    }

    /** A free port on {@code a} (e.g. 127.0.0.2, a second "host" on loopback). */
    public static int freePort(InetAddress a) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, a)) {
            return s.getLocalPort();
        }
    }

    /** A port free on both {@code a} and {@code b} (the NAT trick listens on the same port on two addresses). */
    public static int freePort(InetAddress a, InetAddress b) throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress(a, 0));
                int port = first.getLocalPort();
                try (ServerSocket second = new ServerSocket()) {
                    second.bind(new InetSocketAddress(b, port));
                    return port;
                } catch (IOException taken) {
                    // taken on b: try another
                }
            }
        }
        throw new IOException("no port free on both " + a + " and " + b);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
