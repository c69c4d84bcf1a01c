package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.it.ItSupport;
import io.redotrail.it.ItDatabases;
import io.redotrail.it.ItReadBack;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.TableComparer;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupStatus;
import io.redotrail.report.PidFile;
import io.redotrail.runtime.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A source home (EXT1 → ./dirdat/ex, PUMP1 → RMTTRAIL ./dirdat/ha) and a target home (the collector of ./dirdat/ha,
 * REP1) under one folder, as the two-host tests set them up, and what they wait on: a group RUNNING under a new pid,
 * the collector's pid, the Replicat's applied CSN; {@link #ggserr} of both homes for failure messages.
 */
final class TwoHomes {
    static final Duration WAIT = Duration.ofSeconds(180);

    final Path root;
    final Path src;
    final Path tgt;

    TwoHomes(Path root) {
        this.root = root;
        this.src = root.resolve("source");
        this.tgt = root.resolve("target");
    }

    static GroupStatus status(Path home, String group) {
        Path cpr = CheckpointFile.replicatFile(home, group);
        Path f = Files.exists(cpr) ? cpr : CheckpointFile.extractFile(home, group);
        return GroupStatus.of(home, group, new CheckpointFile(f).read().orElse(null));
    }

    static long awaitRunning(Path home, String group, long notPid) {
        long[] pid = {-1};
        await(group + " RUNNING under a new pid", WAIT, () -> {
            GroupStatus st = status(home, group);
            pid[0] = st.pid();
            return st.running() && st.pid() > 0 && st.pid() != notPid;
        }, () -> status(home, group).toString());
        return pid[0];
    }

    /** The pid of the collector of ./dirdat/ha while one holds its lock (its own record), else -1. */
    long collectorPid() {
        if (!GroupLock.held(tgt, "COLLECTOR_ha")) return -1;
        return GroupLock.read(tgt, "COLLECTOR_ha").flatMap(PidFile::fields).map(p -> p.getProperty("pid"))
                .map(String::trim).map(Long::parseLong).orElse(-1L);
    }

    long awaitCollector(long notPid) {
        long[] pid = {-1};
        await("a collector of ./dirdat/ha other than pid " + notPid, WAIT, () -> {
            pid[0] = collectorPid();
            return pid[0] > 0 && pid[0] != notPid && ProcessHandle.of(pid[0]).map(ProcessHandle::isAlive).orElse(false);
        }, this::ggserr);
        return pid[0];
    }

    String ggserr() {
        StringBuilder sb = new StringBuilder();
        for (Path h : List.of(src, tgt)) {
            Path f = h.resolve("ggserr.log");
            try {
                sb.append("\n---- ").append(f).append('\n').append(Files.exists(f) ? Files.readString(f) : "(none)");
            } catch (Exception e) {
                sb.append(e);
            }
        }
        return sb.toString();
    }

    static void prm(Path home, String group, String text) throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm").resolve(group.toLowerCase() + ".prm"), text);
    }

    /** The checkpoint files GGSCI ADD writes (contract 1): EXT1 and PUMP1 in the source home, REP1 in the target's. */
    void addGroups() {
        long now = System.currentTimeMillis();
        TrailPosition zero = new TrailPosition(0, 0);
        new CheckpointFile(CheckpointFile.extractFile(src, "EXT1")).write(new ProcessCheckpoint("EXT1", "EXTRACT", List.of(), null,
                List.of(new WriteCheckpoint("./dirdat/ex", zero, now, "EXTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        new CheckpointFile(CheckpointFile.extractFile(src, "PUMP1")).write(new ProcessCheckpoint("PUMP1", "EXTRACT", List.of(),
                new TrailReadCheckpoint("./dirdat/ex", zero, now, zero, now),
                List.of(new WriteCheckpoint("./dirdat/ha", zero, now, "RMTTRAIL", Scn.ZERO, 1)), null, null, null, now, now, 'G'));
        new CheckpointFile(CheckpointFile.replicatFile(tgt, "REP1")).write(new ProcessCheckpoint("REP1", "REPLICAT", List.of(),
                new TrailReadCheckpoint("./dirdat/ha", zero, now, zero, now), List.of(), null, null, null, now, now, 'G'));
    }

    /**
     * The end state of a two-host run: the target's tables equal the source's row for row, and the remote trail holds
     * every transaction of the local one exactly once, in commit order.
     */
    void assertDelivered(Settings source, String targetUrl, String what) {
        TableComparer comparer = new TableComparer(HomeSetup.sourceUrl(source), "sa", "", targetUrl, "sa", "");
        ItDatabases.assertTablesEqual(comparer, SourceSchema.demo().tables().stream().map(TableDef::name).toList(), "source and target " + what);
        List<Transaction> ex = ItReadBack.readTrail(src.resolve("dirdat/ex"), TrailPosition.START);
        List<Transaction> ha = ItReadBack.readTrail(tgt.resolve("dirdat/ha"), TrailPosition.START);
        List<Xid> haXids = ha.stream().map(Transaction::xid).toList();
        assertEquals(haXids.size(), new HashSet<>(haXids).size(), "no transaction twice in the remote trail " + what);
        Set<Xid> exXids = ex.stream().filter(x -> !x.changes().isEmpty()).map(Transaction::xid).collect(Collectors.toSet());
        assertEquals(exXids, new HashSet<>(haXids), "the remote trail holds what the local trail holds " + what);
        ItReadBack.assertCsnOrder(ha, "./dirdat/ha in the target home " + what);
    }

    static void awaitApplied(Settings t, long csn) {
        await("REP1 in the target home to apply CSN " + csn, WAIT, () -> io.redotrail.it.ItSupport.logCsn(t) >= csn,
                () -> "LOG_CSN " + io.redotrail.it.ItSupport.logCsn(t));
    }

    static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
