package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.redotrail.core.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two installations (homes) whose Replicats share a group name apply into one target through one checkpoint
 * table: each keeps its own row (GROUP_KEY hashes name and home). Keyed by the name alone, the second Replicat
 * read the first's row and skipped every transaction below the first's CSN, without a word.
 */
class SharedCheckpointTableTest extends ReplicatTargetFixture {
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void twoHomesWithOneGroupNameKeepTheirOwnCheckpoints(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path a = Files.createDirectories(dir.resolve("ogg-a")), b = Files.createDirectories(dir.resolve("ogg-b"));
        // home A's source is further on: its CSNs are above everything home B's source commits
        applier(a).process(exchange(row(1, 900, "a"), row(2, 950, "a")));
        applier(b).process(exchange(row(11, 100, "b"), row(12, 200, "b")));
        assertEquals(List.of(List.of(1, "a"), List.of(2, "a"), List.of(11, "b"), List.of(12, "b")), rows(), "B applied its own");

        CheckpointTable ta = new CheckpointTable(db.t("CHECKPOINT"), a.toString());
        CheckpointTable tb = new CheckpointTable(db.t("CHECKPOINT"), b.toString());
        assertNotEquals(ta.key("REP1"), tb.key("REP1"));
        try (Connection c = db.connect()) {
            assertEquals(950, ta.read(c, "REP1").orElseThrow().logCsn().value());
            assertEquals(200, tb.read(c, "REP1").orElseThrow().logCsn().value());
            // DELETE REPLICAT in home A leaves home B's row
            ta.delete(c, "REP1");
            assertTrue(ta.read(c, "REP1").isEmpty());
            assertEquals(200, tb.read(c, "REP1").orElseThrow().logCsn().value());
        }
    }

    /**
     * An earlier version keyed the row by the name alone: the Replicat of the home that wrote it (CURRENT_DIR) moves
     * it, its applier rows and _LOX rows to its key at start and resumes from it; another home never takes it.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void rowsKeyedByTheNameAloneAreTakenOverByTheHomeThatWroteThem(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path a = Files.createDirectories(dir.resolve("ogg-a")), b = Files.createDirectories(dir.resolve("ogg-b"));
        Transaction t1 = row(1, 100, "a"), t2 = row(2, 200, "a");
        long earlier = CheckpointTable.groupKey("REP1");
        try (Connection c = db.connect()) {
            c.createStatement().execute("INSERT INTO " + db.t("T") + " VALUES (1, 'a')");
            for (int n = 0; n <= 2; n++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.t("CHECKPOINT") + " (GROUP_NAME, GROUP_KEY, "
                        + "SEQNO, RBA, CREATE_TS, LAST_UPDATE_TS, CURRENT_DIR, LOG_CSN, LOG_CMPLT_CSN, LOG_CMPLT_XIDS, VERSION) "
                        + "VALUES ('REP1', ?, ?, ?, LOCALTIMESTAMP, LOCALTIMESTAMP, ?, '100', '100', ?, 1)")) {
                    ps.setLong(1, earlier + n);
                    ps.setLong(2, t1.trailEnd().seqno());
                    ps.setLong(3, t1.trailEnd().rba());
                    ps.setString(4, GroupKey.dirOf(a));
                    ps.setString(5, t1.xid().toString());
                    ps.executeUpdate();
                }
            }
            c.createStatement().execute("INSERT INTO " + db.t("CHECKPOINT_LOX") + " VALUES ('REP1', " + earlier
                    + ", '100', 1073741824, '100/" + t1.xid() + "')");
        }
        CheckpointTable ta = new CheckpointTable(db.t("CHECKPOINT"), a.toString());
        CheckpointTable tb = new CheckpointTable(db.t("CHECKPOINT"), b.toString());
        try (Connection c = db.connect()) {
            assertEquals(t1.trailEnd(), ta.read(c, "REP1").orElseThrow().position(), "home A reads its earlier row before it moves");
            assertTrue(tb.read(c, "REP1").isEmpty(), "home B does not take home A's row");
        }

        ReplicatApplier ra = applier(a);
        ra.process(exchange(t1, t2));
        assertEquals(1, ra.getSkippedTransactions(), "T1 was applied before the upgrade");
        assertEquals(List.of(List.of(1, "a"), List.of(2, "a")), rows());
        long key = ta.key("REP1");
        assertEquals(java.util.Set.of(key, key + 1, key + 2), db.rows("SELECT GROUP_KEY FROM " + db.t("CHECKPOINT")).stream()
                .map(r -> ((Number) r.get(0)).longValue()).collect(java.util.stream.Collectors.toSet()), "every row moved to the new key");
        assertEquals(List.of(), db.rows("SELECT 1 FROM " + db.t("CHECKPOINT_LOX") + " WHERE GROUP_KEY = " + earlier));
        try (Connection c = db.connect()) {
            assertEquals(0, ta.adoptEarlierRows(c, "REP1"), "once");
            assertEquals(new TrailPosition(t2.trailEnd().seqno(), t2.trailEnd().rba()), ta.read(c, "REP1").orElseThrow().position());
            c.createStatement().execute("INSERT INTO " + db.t("CHECKPOINT_LOX") + " VALUES ('REP1', " + key
                    + ", '300', 1073741825, '300/1.1.3')");
            ta.delete(c, "REP1"); // DELETE REPLICAT: the group's row, its applier rows and its _LOX rows
        }
        assertEquals(List.of(), db.rows("SELECT GROUP_KEY FROM %S%.CHECKPOINT"));
        assertEquals(List.of(), db.rows("SELECT GROUP_KEY FROM %S%.CHECKPOINT_LOX"));
    }

    /**
     * A home copied or moved to another directory (its target with it, or not) is the same installation: its identity
     * travels in dirchk/home.id, and it resumes from its rows; CURRENT_DIR follows it at its next commit.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aMovedHomeResumesFromItsRows(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path a = Files.createDirectories(dir.resolve("ogg-a")), moved = dir.resolve("ogg-moved");
        Transaction t1 = row(1, 100, "a"), t2 = row(2, 200, "a"), t3 = row(3, 300, "a");
        appliedAndStopped(a, t1, t2);
        copy(a, moved);
        FileTrees.delete(a);
        ReplicatApplier after = applier(moved);
        after.process(exchange(t1, t2, t3));
        assertEquals(2, after.getSkippedTransactions());
        assertEquals(1, after.getAppliedTransactions());
        assertEquals(List.of(List.of(1, "a"), List.of(2, "a"), List.of(3, "a")), rows());
        assertEquals(List.of(List.of(GroupKey.dirOf(moved))), db.rows("SELECT DISTINCT CURRENT_DIR FROM %S%.CHECKPOINT"));
    }

    /** A home whose identity file is damaged refuses to start, naming the file; nothing is applied again. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aDamagedIdentityFileIsRefusedNamingIt(TargetDb.Kind kind) throws Exception {
        Path id = dir.resolve("ogg-a/dirchk/home.id");
        RuntimeException e = refusedAfter(kind, () -> Files.writeString(id, "not-a-uuid\n"));
        assertTrue(e.getMessage().contains(id.toString()) && e.getMessage().contains("not-a-uuid"), e.getMessage());
    }

    /**
     * A home that lost its identity (dirchk/home.id deleted) while its group has run finds no row under its new key
     * but its own directory's rows under another: it refuses whatever onOlderTable says, rather than apply the trail
     * again from its start.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"H2, WARN_USE_TABLE", "POSTGRESQL, WARN_USE_TABLE", "H2, USE_FILE", "H2, ABEND"})
    void aHomeThatLostItsIdentityRefusesToStart(TargetDb.Kind kind, String onOlderTable) throws Exception {
        Path id = dir.resolve("ogg-a/dirchk/home.id");
        this.onOlderTable = onOlderTable;
        RuntimeException e = refusedAfter(kind, () -> Files.delete(id));
        assertTrue(e instanceof ReplicatException && e.getMessage().contains("OGG-30176") && e.getMessage().contains(id.toString())
                && e.getMessage().contains("ALTER REPLICAT REP1"), e.getMessage());
    }

    /**
     * A crash after a group's commit and before its discard records' append, then the identity lost: the refused
     * start leaves the side file, and once home.id is restored the records reach the discard file.
     */
    @org.junit.jupiter.api.Test
    void aRefusedStartKeepsTheDiscardRecordsOfACommittedGroup() throws Exception {
        Path id = dir.resolve("ogg-a/dirchk/home.id");
        Path dsc = dir.resolve("ogg-a/dirrpt/REP1.dsc");
        String[] saved = new String[1];
        refusedAfter(TargetDb.Kind.H2, () -> {
            saved[0] = Files.readString(id);
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> new io.redotrail.replicat.error
                    .DiscardFile(dsc, "REP1").commit("Discarded record X\n*\n", 200, "1.1.2", () -> {
                        throw new java.sql.SQLException("crash");
                    }));
            Files.delete(id);
        });
        Files.writeString(id, saved[0]); // restored from a backup, as the refusal says
        ReplicatApplier again = applier(dir.resolve("ogg-a"));
        again.process(exchange(row(1, 100, "a"), row(2, 200, "a")));
        assertEquals(2, again.getSkippedTransactions());
        assertTrue(Files.readString(dsc).contains("Discarded record X"), Files.readString(dsc));
    }

    private String onOlderTable = "WARN_USE_TABLE";

    interface Change {
        void run() throws Exception;
    }

    /** REP1 of home ogg-a applies two transactions and stops; after {@code change} its start is refused: returns why. */
    private RuntimeException refusedAfter(TargetDb.Kind kind, Change change) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path a = Files.createDirectories(dir.resolve("ogg-a"));
        appliedAndStopped(a, row(1, 100, "a"), row(2, 200, "a"));
        change.run();
        ReplicatApplier r = applier(a);
        r.setOnOlderTable(onOlderTable);
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, r::start);
        assertEquals(2, rows().size(), "nothing applied again");
        return e;
    }

    /**
     * Another host's home at the same path (its own identity, the same CURRENT_DIR) starting for the first time is a
     * new installation sharing the table: it applies its own transactions, and the first host's row stays.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aSecondHostsHomeAtTheSamePathStartsAfresh(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path a = Files.createDirectories(dir.resolve("ogg"));
        appliedAndStopped(a, row(1, 900, "a"), row(2, 950, "a"));
        FileTrees.delete(a.resolve("dirchk")); // the same path on another host: no identity, no checkpoint file yet
        ReplicatApplier b = applier(a);
        b.process(exchange(row(11, 100, "b"), row(12, 200, "b")));
        assertEquals(4, rows().size());
        assertEquals(List.of(List.of(2L)), db.rows("SELECT COUNT(*) FROM %S%.CHECKPOINT").stream()
                .map(r -> List.<Object>of(((Number) r.get(0)).longValue())).toList());
    }

    /** One home reached through a symbolic link and by its real path (bin/redotrail resolves --home) keys alike. */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void oneHomeSpelledTwoWaysKeepsOneRow(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path real = Files.createDirectories(dir.resolve("real-home"));
        Path link = Files.createSymbolicLink(dir.resolve("link-home"), real);
        Transaction t1 = row(1, 100, "a"), t2 = row(2, 200, "a"), t3 = row(3, 300, "a");
        appliedAndStopped(link, t1, t2); // redotrail.home of the configuration file
        ReplicatApplier second = applier(real); // bin/redotrail --home (realpath -m)
        second.process(exchange(t1, t2, t3));
        assertEquals(2, second.getSkippedTransactions());
        assertEquals(3, rows().size());
        assertEquals(List.of(List.of(1L)), db.rows("SELECT COUNT(*) FROM %S%.CHECKPOINT").stream()
                .map(r -> List.<Object>of(((Number) r.get(0)).longValue())).toList());
    }

    /**
     * A parallel run of an earlier version killed before its first low watermark left applier rows and _LOX rows under
     * the name's key, and no group row: they move too, and what the appliers committed is not applied again.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void anEarlierParallelRunsApplierRowsMoveWithoutAGroupRow(TargetDb.Kind kind) throws Exception {
        openTarget(kind, "CREATE TABLE %S%.T (ID INT PRIMARY KEY, SRC VARCHAR(10))");
        Path a = Files.createDirectories(dir.resolve("ogg-a"));
        Transaction t1 = row(1, 100, "a"), t2 = row(2, 200, "a"), t3 = row(3, 300, "a");
        CheckpointTable earlier = new CheckpointTable(db.t("CHECKPOINT")); // the name's key alone
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            c.createStatement().execute("INSERT INTO " + db.t("T") + " VALUES (1, 'a'), (2, 'a')");
            ParallelCheckpoints p = new ParallelCheckpoints(earlier, "REP1");
            p.applied(c, 1, List.of(t1));
            p.applied(c, 2, List.of(t2));
            c.createStatement().execute("UPDATE " + db.t("CHECKPOINT") + " SET CURRENT_DIR = '" + GroupKey.dirOf(a) + "'");
            c.commit();
        }
        ReplicatApplier r = applier(a);
        r.setParallel(true);
        r.setApplyParallelism(2);
        r.process(exchange(t1, t2, t3));
        r.stop();
        assertEquals(List.of(List.of(1, "a"), List.of(2, "a"), List.of(3, "a")), rows());
        assertEquals(List.of(), db.rows("SELECT 1 FROM %S%.CHECKPOINT WHERE GROUP_KEY BETWEEN "
                + CheckpointTable.groupKey("REP1") + " AND " + (CheckpointTable.groupKey("REP1") + 2)));
    }

    /** REP1 of {@code home} applies {@code txs} and stops, as a process that ends. */
    private void appliedAndStopped(Path home, Transaction... txs) {
        ReplicatApplier r = applier(home);
        r.process(exchange(txs));
        appliers.remove(r);
        r.stop();
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
    }

    private Transaction row(int id, long csn, String src) {
        return tx("1." + src.length() + "." + id, csn).insert(db.t("T"), img("ID", id, "SRC", src)).build();
    }

    /** REP1 of {@code home}, in a context of its own (as its own process). */
    private ReplicatApplier applier(Path home) {
        ReplicatApplier r = db.applier(new DefaultCamelContext(), home);
        appliers.add(r);
        return r;
    }

    private List<List<Object>> rows() throws Exception {
        return db.rows("SELECT ID, SRC FROM %S%.T ORDER BY ID").stream()
                .map(r -> List.<Object>of(((Number) r.get(0)).intValue(), r.get(1).toString().trim())).toList();
    }

    private static Exchange exchange(Transaction... txs) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setBody(Arrays.asList(txs));
        return e;
    }
}
