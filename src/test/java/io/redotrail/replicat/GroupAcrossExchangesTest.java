package io.redotrail.replicat;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.Transaction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.*;

/**
 * GROUPTRANSOPS across trail exchanges: while the trail consumer says more is waiting
 * ({@link TrailConstants#TRAIL_CAUGHT_UP} false) the group stays open — nothing of it is visible to another connection
 * and the checkpoint row does not move — and it commits once big enough, once caught up, on an idle (empty)
 * exchange, or at a graceful stop. An error rolls back and replays or abends the whole group, whichever
 * exchanges brought its transactions. On H2 and PostgreSQL.
 */
class GroupAcrossExchangesTest extends ReplicatTargetFixture {
    // builds exchanges only: each applier's group state is in its own ctx
    static final CamelContext EXCHANGES = new DefaultCamelContext();

    String T;
    long csn = 100;

    void open(TargetDb.Kind kind) throws Exception {
        db = new TargetDb(kind, dir);
        T = db.t("ORDERS");
        db.sql("CREATE TABLE %S%.ORDERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(200))");
    }

    ReplicatApplier applier(int groupTransOps, String repError) {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("REP1");
        a.setHome(dir.toString());
        a.setJdbcUrl(db.url);
        a.setUser(db.user);
        a.setPassword(db.password);
        a.setCheckpointTable(db.schema + ".CHECKPOINT");
        a.setGroupTransOps(groupTransOps);
        a.setRepError(repError);
        a.setFileCheckpointMillis(0);
        a.start();
        appliers.add(a);
        return a;
    }

    /** A transaction inserting rows {@code ids} (one operation each). */
    Transaction inserts(long... ids) {
        Tx t = tx("1.1." + csn, ++csn);
        for (long id : ids) t.insert(T, img("ID", id, "NAME", "n" + id));
        return t.build();
    }

    /** An update of row 99, which no test inserts: NOTFOUND, replayed and then discarded or abending by REPERROR. */
    Transaction ghostUpdate() {
        return tx("1.1.900", ++csn).update(T, img("ID", 99L), img("ID", 99L, "NAME", "ghost")).build();
    }

    static Exchange exchange(boolean caughtUp, Transaction... txs) {
        Exchange e = new DefaultExchange(EXCHANGES);
        e.getIn().setBody(Arrays.asList(txs));
        e.getIn().setHeader(TrailConstants.TRAIL_CAUGHT_UP, caughtUp);
        return e;
    }

    Long checkpointCsn() throws Exception {
        List<List<Object>> r = db.rows("SELECT LOG_CSN FROM %S%.CHECKPOINT WHERE GROUP_NAME = 'REP1'");
        return r.isEmpty() ? null : Long.valueOf(r.get(0).get(0).toString()); // LOG_CSN is text (GoldenGate)
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void groupStaysOpenWhileMoreIsWaitingAndCommitsWhenCaughtUp(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(1000, "DEFAULT ABEND");
        a.process(exchange(false, inserts(1, 2), inserts(3)));
        assertEquals(0, db.count("ORDERS"), "an open group is not committed");
        assertNull(checkpointCsn(), "nor is its checkpoint row");
        assertEquals(2, a.getOpenTransactions());
        a.process(exchange(false, inserts(4)));
        assertEquals(0, db.count("ORDERS"));
        Transaction last = inserts(5);
        a.process(exchange(true, last));
        assertEquals(5, db.count("ORDERS"), "caught up: the group of three exchanges commits");
        assertEquals(last.csn().value(), checkpointCsn());
        assertEquals(0, a.getOpenTransactions());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void groupCommitsOnceBigEnoughWhateverTheExchanges(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(5, "DEFAULT ABEND");
        a.setStageAhead(false); // one thread: the group is committed before the exchange completes
        a.process(exchange(false, inserts(1, 2, 3)));
        assertEquals(0, db.count("ORDERS"));
        Transaction fifth = inserts(4, 5);
        a.process(exchange(false, fifth, inserts(6)));
        assertEquals(5, db.count("ORDERS"), "5 operations reach GROUPTRANSOPS 5: committed without the sixth");
        assertEquals(fifth.csn().value(), checkpointCsn());
        assertEquals(1, a.getOpenTransactions());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void idleExchangeCommitsTheOpenGroup(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(1000, "DEFAULT ABEND");
        a.process(exchange(false, inserts(1)));
        assertEquals(0, db.count("ORDERS"));
        a.process(exchange(true)); // what the trail consumer sends when it has nothing
        assertEquals(1, db.count("ORDERS"));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void gracefulStopCommitsTheOpenGroupAndARestartAppliesNothingTwice(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(1000, "DEFAULT ABEND");
        Transaction t1 = inserts(1, 2);
        Transaction t2 = inserts(3);
        a.process(exchange(false, t1, t2));
        a.stop();
        assertEquals(3, db.count("ORDERS"), "a graceful stop finishes the open group");
        assertEquals(t2.csn().value(), checkpointCsn());
        String cpr = Files.readString(CheckpointFile.replicatFile(dir, "REP1"));
        assertTrue(cpr.contains("G"), "stop status G in the checkpoint file: " + cpr);

        ReplicatApplier b = applier(1000, "DEFAULT ABEND");
        b.process(exchange(true, t1, t2, inserts(4))); // the trail re-read from an older position
        assertEquals(2, b.getSkippedTransactions());
        assertEquals(4, db.count("ORDERS"));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void abendRollsBackEveryExchangeOfTheGroupAndARestartAppliesItOnce(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(1000, "DEFAULT ABEND");
        Transaction good = inserts(1, 2);
        Transaction bad = ghostUpdate();
        a.process(exchange(false, good));
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(true, bad)));
        assertTrue(e.getMessage().contains("found no row"), e.getMessage());
        assertEquals(0, db.count("ORDERS"), "the first exchange's transaction was in the failed group: rolled back");
        assertNull(checkpointCsn());
        assertThrows(ReplicatException.class, () -> a.process(exchange(true, inserts(3))), "abended: refuses work");
        a.stop();

        ReplicatApplier b = applier(1000, "DEFAULT ABEND; NOTFOUND DISCARD");
        b.process(exchange(false, good));
        b.process(exchange(true, bad));
        assertEquals(2, db.count("ORDERS"));
        assertEquals(bad.csn().value(), checkpointCsn());
        assertEquals(1, b.getCounters().discarded);
        assertEquals(1, b.getCounters().replays, "the whole group, both exchanges, replayed once");
        assertTrue(Files.readString(dir.resolve("dirrpt/REP1.dsc")).contains("ghost"));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void stageAheadCommitsAGroupWhileTheNextIsStagedAndStopWaitsForIt(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(5, "DEFAULT ABEND");
        a.process(exchange(false, inserts(1, 2, 3)));
        Transaction fifth = inserts(4, 5);
        Transaction sixth = inserts(6);
        a.process(exchange(false, fifth, sixth));
        // the committer holds the first five operations; the sixth is staged in the next group, which no one commits
        awaitCount(5);
        assertEquals(fifth.csn().value(), checkpointCsn());
        assertTrue(a.getOpenTransactions() >= 1, "the sixth is open");
        a.stop();
        assertEquals(6, db.count("ORDERS"), "a graceful stop collects the committer's group and commits the open one");
        assertEquals(sixth.csn().value(), checkpointCsn());
        assertEquals(3, a.getAppliedTransactions());

        ReplicatApplier b = applier(5, "DEFAULT ABEND");
        Transaction seventh = inserts(7, 8, 9, 10, 11);
        b.process(exchange(false, seventh)); // big enough: to the committer, and nothing is caught up
        b.process(exchange(true)); // an idle exchange collects it before it completes
        assertEquals(11, db.count("ORDERS"));
        assertEquals(seventh.csn().value(), checkpointCsn());
        assertEquals(0, b.getOpenTransactions());
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aFailedGroupAtTheCommitterIsReplayedOrAbendsWhenTakenBack(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(2, "DEFAULT ABEND");
        Transaction good = inserts(1, 2);
        Transaction bad = ghostUpdate();
        Transaction after = inserts(3, 4);
        a.process(exchange(false, good)); // to the committer: commits
        a.process(exchange(false, bad, inserts(5))); // to the committer: its batch finds no row, it rolls back and halts
        // a third group waits behind it (two are with the committer); caught up, the route thread takes them back in
        // order: the failed one is replayed and abends, and the one behind it was never run
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(true, after)));
        assertTrue(e.getMessage().contains("found no row"), e.getMessage());
        assertEquals(2, db.count("ORDERS"), "only the first group: the failed one and the next are not committed");
        assertEquals(good.csn().value(), checkpointCsn());
        assertThrows(ReplicatException.class, () -> a.process(exchange(true, inserts(6))), "abended: refuses work");
        a.stop();

        ReplicatApplier b = applier(2, "DEFAULT ABEND; NOTFOUND DISCARD");
        b.process(exchange(false, bad, inserts(5))); // the restart reads from the checkpoint: the failed group again
        b.process(exchange(false, after)); // behind it at the committer, which halts after the failure: not run there
        b.process(exchange(true)); // the route thread replays the failed group, then runs the one behind it
        assertEquals(5, db.count("ORDERS"), "1, 2, then 5 with the ghost update discarded, then 3 and 4");
        assertEquals(after.csn().value(), checkpointCsn());
        assertEquals(1, b.getCounters().discarded);
        assertEquals(1, b.getCounters().replays, "the committer's failed group replayed once, by the route thread");
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aFailedGroupAtTheCommitterFoundWhileStagingANewTableAbendsInsteadOfReplayingTheNextGroup(TargetDb.Kind kind) throws Exception {
        open(kind);
        db.sql("CREATE TABLE %S%.ITEMS (ID BIGINT PRIMARY KEY, NAME VARCHAR(200))");
        ReplicatApplier a = applier(2, "DEFAULT ABEND");
        Transaction good = inserts(1, 2);
        Transaction bad = ghostUpdate();
        a.process(exchange(false, good));
        a.process(exchange(false, bad, inserts(5))); // to the committer, where its batch finds no row
        // the next group's first ITEMS row waits for the committer (its metadata is read on the connection) and
        // finds the failed group there: the replay abends, and that is the Replicat's abend, not this group's failure
        Transaction items = tx("1.1.901", ++csn).insert(db.t("ITEMS"), img("ID", 1L, "NAME", "i1")).build();
        ReplicatException e = assertThrows(ReplicatException.class, () -> a.process(exchange(true, items)));
        assertTrue(e.getMessage().contains("found no row"), e.getMessage());
        assertEquals(2, db.count("ORDERS"));
        assertEquals(0, db.count("ITEMS"));
        assertEquals(good.csn().value(), checkpointCsn(), "the checkpoint stays before the failed group");
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void aGroupTheCommitterDidNotRunLeavesNoStatementsForTheNextStart(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(2, "DEFAULT ABEND");
        a.process(exchange(false, inserts(1, 2)));
        Transaction bad = ghostUpdate();
        Transaction five = inserts(5);
        Transaction v2 = tx("1.1.901", ++csn).update(T, img("ID", 1L), img("ID", 1L, "NAME", "v2"))
                .update(T, img("ID", 2L), img("ID", 2L, "NAME", "v2")).build();
        a.process(exchange(false, bad, five)); // fails at the committer, which halts
        a.process(exchange(false, v2)); // behind it: comes back not run, its two updates staged
        assertThrows(ReplicatException.class, () -> a.process(exchange(true)));
        a.stop();
        // the same bean started again, in bigger groups: a set of statements kept from the group not run would be
        // executed before the next group's own (two updates that find their rows: nothing would fail)
        a.setRepError("DEFAULT ABEND; NOTFOUND DISCARD");
        a.setGroupTransOps(100);
        a.start();
        Transaction v3 = tx("1.1.902", ++csn).update(T, img("ID", 1L), img("ID", 1L, "NAME", "v3")).build();
        a.process(exchange(true, bad, five, v2, v3));
        a.process(exchange(true, inserts(8)));
        assertEquals(List.of(List.of("v3"), List.of("v2")), db.rows("SELECT NAME FROM %S%.ORDERS WHERE ID IN (1, 2) ORDER BY ID"));
        assertEquals(4, db.count("ORDERS"));
    }

    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void anInterruptedRouteThreadStillWaitsForTheGroupBeingCommitted(TargetDb.Kind kind) throws Exception {
        open(kind);
        ReplicatApplier a = applier(2, "DEFAULT ABEND");
        a.process(exchange(true, inserts(1, 2)));
        Transaction g = tx("1.1.910", ++csn).update(T, img("ID", 1L), img("ID", 1L, "NAME", "g")).insert(T, img("ID", 3L, "NAME", "n3")).build();
        try (java.sql.Connection blocker = java.sql.DriverManager.getConnection(db.url, db.user, db.password)) {
            blocker.setAutoCommit(false);
            try (var st = blocker.createStatement()) {
                st.executeUpdate("UPDATE " + T + " SET NAME = 'blocker' WHERE ID = 1"); // holds the row until rolled back
            }
            a.process(exchange(false, g)); // to the committer, whose update waits for the row
            Throwable[] thrown = {null};
            Thread route = new Thread(() -> {
                try {
                    a.process(exchange(true)); // caught up: waits for the committer
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            route.start();
            Thread.sleep(200);
            route.interrupt(); // as a forced stop interrupts a consumer: it abends, but only after the group is done
            Thread.sleep(300);
            assertTrue(route.isAlive(), "the interrupted route thread waits for the group being committed");
            blocker.rollback();
            route.join(30_000);
            assertFalse(route.isAlive());
            assertInstanceOf(ReplicatException.class, thrown[0]);
        }
        // the group was committed whole with its checkpoint row, or not at all: never a part of it with the row
        Long at = checkpointCsn();
        List<List<Object>> rows = db.rows("SELECT ID, NAME FROM %S%.ORDERS ORDER BY ID");
        if (at == g.csn().value()) {
            assertEquals(3, rows.size(), rows.toString());
            assertEquals("g", rows.get(0).get(1));
        } else {
            assertEquals(2, rows.size(), rows.toString());
            assertEquals("n1", rows.get(0).get(1));
        }
    }

    /** Waits (up to 10 s) until ORDERS has {@code n} rows: the committer commits on its own thread. */
    void awaitCount(long n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (db.count("ORDERS") != n && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(n, db.count("ORDERS"));
    }
}
