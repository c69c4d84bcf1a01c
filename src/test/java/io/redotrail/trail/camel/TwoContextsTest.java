package io.redotrail.trail.camel;

import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Two CamelContexts in one JVM run the same groups (EXT1 writes dirdat/ex, REP1 reads it) with the same home
 * layout in two homes. REP1 abends in the first only: the abend, the trail progress of EXT1 and the process
 * status (pid and control files, report lines) of each context stay its own.
 */
class TwoContextsTest {
    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private final List<Transaction> appliedB = Collections.synchronizedList(new ArrayList<>());

    private CamelContext start(Path home, boolean targetGone, List<Transaction> applied) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract").to("trail:dirdat/ex?group=EXT1&checkpointSecs=0");
                from("trail:dirdat/ex?group=REP1&idleDelay=5").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Transaction> b = e.getIn().getBody(List.class);
                    if (targetGone && !b.isEmpty()) throw new IllegalStateException("target database gone");
                    applied.addAll(b);
                });
            }
        });
        ctx.start();
        return ctx;
    }

    private static void send(CamelContext ctx, List<Transaction> batch) {
        TrailContexts.sendExtract(ctx, batch);
    }

    @Test
    void theSameGroupsInTwoContextsKeepTheirOwnAbendProgressAndStatus() throws Exception {
        CamelContext a = start(homeA, true, new ArrayList<>());
        CamelContext b = start(homeB, false, appliedB);
        GroupRuntimes groupsA = GroupRuntimes.of(a), groupsB = GroupRuntimes.of(b);
        try {
            assertNotSame(groupsA, groupsB, "one holder per context");
            assertSame(groupsA, a.getRegistry().lookupByNameAndType(GroupRuntimes.REGISTRY_NAME, GroupRuntimes.class));
            send(a, txs(1, 6, 1));   // CSN 1001..1005
            send(b, txs(1, 11, 1));  // CSN 1001..1010
            await(() -> groupsA.abends().containsKey("REP1"), "REP1 to abend in the first context");
            await(() -> appliedB.size() == 10, "REP1 to apply 10 transactions in the second context");

            // abend: only the first context's REP1
            assertEquals(Set.of("REP1"), groupsA.abends().keySet());
            assertTrue(groupsA.abends().get("REP1").getMessage().contains("target database gone"));
            assertTrue(groupsB.abends().isEmpty(), "the second context saw the first one's abend: " + groupsB.abends());

            // trail progress: each EXT1 confirmed what its own producer wrote
            GroupRuntime extA = groupsA.find("EXT1").orElseThrow(), extB = groupsB.find("EXT1").orElseThrow();
            assertEquals(1005, extA.trailState().confirmedCsn());
            assertEquals(1010, extB.trailState().confirmedCsn());
            assertEquals(homeA.toAbsolutePath().normalize(), extA.home());
            assertEquals(homeB.toAbsolutePath().normalize(), extB.home());

            // process status: abended in A (pid file marked, control channel closed), running in B
            PidFile repA = PidFile.read(PidFile.pathOf(homeA, "REP1")).orElseThrow();
            PidFile repB = PidFile.read(PidFile.pathOf(homeB, "REP1")).orElseThrow();
            assertTrue(repA.abended(), "REP1 in the first home");
            assertFalse(repB.abended() || repB.stopped(), "REP1 in the second home runs");
            assertFalse(Files.exists(PidFile.controlPathOf(homeA, "REP1")));
            assertTrue(PidFile.controlPort(homeB, "REP1").isPresent());
            assertTrue(ReportFile.open(homeA, "REP1").lines().stream().anyMatch(l -> l.contains("OGG-01668")));
            assertTrue(ReportFile.open(homeB, "REP1").lines().stream().noneMatch(l -> l.contains("OGG-01668")));
        } finally {
            a.stop();
            b.stop();
        }
        assertTrue(PidFile.read(PidFile.pathOf(homeA, "REP1")).orElseThrow().abended(), "an abend stays after stop");
        assertTrue(PidFile.read(PidFile.pathOf(homeB, "REP1")).orElseThrow().stopped(), "the second REP1 stopped normally");
        assertTrue(groupsB.abends().isEmpty(), "stopping abended nothing in the second context: " + groupsB.abends());
    }

    @Test
    void aFreshContextStartsWithNoStateOfAnEarlierOne() throws Exception {
        CamelContext first = start(homeA, true, new ArrayList<>());
        GroupRuntimes before = GroupRuntimes.of(first);
        try {
            send(first, txs(1, 3, 1));
            await(() -> before.abends().containsKey("REP1"), "REP1 to abend");
        } finally {
            first.stop();
        }
        // the same home again, as a restart would: nothing of the first context's abend or progress is carried over
        CamelContext again = start(homeA, false, appliedB);
        GroupRuntimes after = GroupRuntimes.of(again);
        try {
            assertNotSame(before, after);
            assertEquals(1002, after.find("EXT1").orElseThrow().trailState().confirmedCsn(), "from the trail on disk");
            await(() -> appliedB.size() == 2, "the restarted REP1 to apply what its first run refused");
            assertTrue(after.abends().isEmpty(), after.abends().toString());
        } finally {
            again.stop();
        }
    }
}
