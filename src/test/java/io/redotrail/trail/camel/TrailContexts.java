package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** CamelContexts for the trail component's tests: a home, the groups' abends collected, routes started. */
final class TrailContexts {
    private TrailContexts() {
    }

    static CamelContext start(Path home, Map<String, Throwable> abends, RouteBuilder... routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx).onAbend(abends::put);
        ctx.getComponent("trail", TrailComponent.class).setHome(home.toString());
        for (RouteBuilder r : routes) ctx.addRoutes(r);
        ctx.start();
        return ctx;
    }

    /** Sends {@code batch} to {@code direct:extract} as the extract's aggregator would: with a redo read checkpoint. */
    static void sendExtract(CamelContext ctx, List<Transaction> batch) {
        CheckpointPoint p = new CheckpointPoint(new RedoPosition(1, 7, 512), Scn.of(1000), 1_700_000_000_000L, "/redo/redo01.log");
        Exchange ex = ctx.createProducerTemplate().request("direct:extract", e -> {
            e.getIn().setBody(batch);
            e.getIn().setHeader(TrailConstants.READ_CHECKPOINT, List.of(new RedoReadCheckpoint(1, p, p, p)));
        });
        if (ex.getException() != null) throw new AssertionError(ex.getException());
    }
}
