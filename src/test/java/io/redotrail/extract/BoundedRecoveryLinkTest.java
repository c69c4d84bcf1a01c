package io.redotrail.extract;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.sim.RedoLogWriter;
import io.redotrail.redo.RedoOp;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import io.redotrail.trail.camel.TrailComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.redotrail.testutil.Waits.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The extract aggregator finds the trail producer of its own group in its own CamelContext, whatever the
 * spelling of the home; with Bounded Recovery on and no such producer the extract abends at start naming the
 * group, instead of running without BR checkpoints. Real {@code redo:} consumer, aggregator and {@code trail:}
 * producer.
 */
class BoundedRecoveryLinkTest {
    @TempDir
    Path home;
    private RedoLogWriter writer;
    private CamelContext ctx;

    @BeforeEach
    void writeRedo() {
        writer = RedoLogWriter.open(new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 1, 3, 64 * 1024, "ORCL"));
        long scn = 100;
        for (long id = 1; id <= 5; id++) {
            Xid xid = new Xid(1, 1, id);
            writer.append(RedoOp.INSERT, xid, Scn.of(scn++), id, true, new RowChange("HR.EMP", ChangeOp.INSERT, null,
                    new RowImage(new String[]{"ID"}, new Object[]{id})));
            writer.append(RedoOp.COMMIT, xid, Scn.of(scn++), id, false, null);
        }
        writer.flush(true);
    }

    @AfterEach
    void stop() throws Exception {
        if (ctx != null) ctx.stop();
        writer.close();
    }

    /** redo: → aggregator (home spelled {@code aggregatorHome}, BR on) → trail producer of {@code trailGroup}, or none. */
    private GroupRuntimes start(String aggregatorHome, String trailGroup) throws Exception {
        ctx = new DefaultCamelContext();
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        TransactionAggregator agg = new TransactionAggregator();
        agg.setGroup("EXT1");
        agg.setHome(aggregatorHome);
        ctx.getRegistry().bind("extractAggregator", agg);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from("redo:orcl?home=" + home + "&group=EXT1&idleDelay=2&startPositions=#extractAggregator")
                        .process("extractAggregator");
                if (trailGroup != null) route.to("trail:dirdat/ex?group=" + trailGroup);
            }
        });
        GroupRuntimes groups = GroupRuntimes.of(ctx);
        ctx.start();
        assertSame(ctx, agg.getCamelContext(), "the bean bound in the registry gets its CamelContext");
        return groups;
    }

    @Test
    void theAggregatorFindsItsGroupsTrailProducerWhateverTheSpellingOfTheHome() throws Exception {
        GroupRuntimes groups = start(home.resolve("redo").resolve("..").toString(), "EXT1");
        GroupRuntime ext1 = groups.find("EXT1").orElseThrow();
        await(() -> ext1.trailState() != null && ext1.trailState().confirmedCsn() == 109, "the trail to confirm CSN 109");
        assertTrue(groups.abends().isEmpty(), groups.abends().toString());
        assertTrue(ReportFile.open(home, "EXT1").lines().stream().noneMatch(l -> l.contains("OGG-01668")));
    }

    @Test
    void bothWithoutATrailProducerAndWithOneOfAnotherGroupTheExtractAbendsAtStartNamingTheGroup() throws Exception {
        for (String trailGroup : new String[]{null, "EXT2"}) {
            GroupRuntimes groups = start(home.toString(), trailGroup);
            await(() -> groups.abends().containsKey("EXT1"), "EXT1 to abend (trail producer " + trailGroup + ")");
            String msg = groups.abends().get("EXT1").getMessage();
            assertTrue(msg.startsWith("EXT1: Bounded Recovery needs the trail producer of group EXT1"), msg);
            assertTrue(msg.contains("brOff=true"), msg);
            assertTrue(PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow().abended(), "INFO shows EXT1 ABENDED");
            assertTrue(ReportFile.open(home, "EXT1").lines().stream()
                    .anyMatch(l -> l.contains("OGG-01668  PROCESS ABENDING: EXT1: Bounded Recovery needs")));
            if (trailGroup != null) {
                assertEquals(0, groups.find(trailGroup).orElseThrow().trailState().confirmedCsn(), "nothing reached the trail");
            }
            ctx.stop();
            ctx = null;
        }
    }

    @Test
    void oneGroupWithTwoHomesInOneContextIsRefusedNamingBoth() throws Exception {
        Path other = home.resolve("elsewhere");
        GroupRuntimes groups = start(other.toString(), "EXT1");
        await(() -> groups.abends().containsKey("EXT1"), "EXT1 to abend");
        String msg = groups.abends().get("EXT1").getMessage();
        assertTrue(msg.contains("group EXT1 is used with two homes") && msg.contains(other.toString()), msg);
    }
}
