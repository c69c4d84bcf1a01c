package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.trail.TrailWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.trail.TrailTestData.txs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step a user adds to the Replicat route cannot make it read past a batch its applier never took: a filter that
 * drops one abends the group (RTR-01628) with the checkpoint table before it, and the Replicat restarted without
 * the step applies every row once.
 */
class ReplicatRouteStepsTest {
    @TempDir
    Path home;
    private TargetDb db;
    private final Map<String, Throwable> abends = new ConcurrentHashMap<>();

    @AfterEach
    void close() throws Exception {
        if (db != null) db.close();
    }

    private CamelContext replicat(org.apache.camel.Predicate keep) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", io.redotrail.trail.camel.TrailComponent.class).setHome(home.toString());
        ReplicatApplier applier = db.applier(ctx, home);
        applier.setMap("MAP HR.EMP, TARGET " + db.t("EMP") + ";");
        ctx.getRegistry().bind("applier", applier);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("trail:dirdat/ha?group=REP1&role=REPLICAT&positionStore=#applier&idleDelay=5&maxBatchOps=4")
                        .routeId("replicat").filter(keep).process("applier");
            }
        });
        ctx.start();
        return ctx;
    }

    private long count() {
        try {
            return db.count("EMP");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean holds1006(Exchange e) {
        return ((List<Transaction>) e.getIn().getBody(List.class)).stream().anyMatch(t -> t.csn().value() == 1006);
    }

    @Test
    void aFilterThatDropsABatchAbendsTheReplicatBeforeIt() throws Exception {
        db = new TargetDb(TargetDb.Kind.H2, home);
        db.sql("CREATE TABLE %S%.EMP (ID BIGINT PRIMARY KEY, NAME VARCHAR(100))");
        try (TrailWriter w = TrailWriter.open(home.resolve("dirdat/ha"), "PMP1", 1 << 20)) {
            w.append(txs(1, 11, 2));
        }
        CamelContext ctx = replicat(e -> !holds1006(e));
        try {
            await(() -> abends.containsKey("REP1"), "REP1 to abend");
        } finally {
            ctx.stop();
        }
        String m = abends.get("REP1").getMessage();
        assertTrue(m.contains("RTR-01628 REPLICAT REP1: the batch completed route replicat without reaching the group's"
                + " Replicat applier: a step dropped it"), m);
        assertEquals(8, db.count("EMP"), "the two batches before it, nothing after");

        abends.clear();
        CamelContext again = replicat(e -> true);
        try {
            await(() -> count() == 20, "the restarted Replicat to apply the rest");
        } finally {
            again.stop();
        }
        assertTrue(abends.isEmpty(), abends.toString());
        assertEquals(20, db.count("EMP"), "every row once");
    }
}
