package io.redotrail.fuzz;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoRecord;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The extract route's aggregator, driven as the {@code redo:} consumer and the trail producer drive it. */
final class ExtractSteps {
    private ExtractSteps() {
    }

    /** A new extract of group EXT1 in {@code home} whose trail holds {@code trailCsn}; Bounded Recovery every 10 s when {@code br}. */
    static TransactionAggregator aggregator(Path home, Scn trailCsn, boolean br) {
        // a context per aggregator, as a restarted extract is a new process; its trail producer has started
        CamelContext ctx = new DefaultCamelContext();
        GroupRuntimes.of(ctx, home, "EXT1").trailStarted(trailCsn);
        TransactionAggregator agg = new TransactionAggregator();
        agg.setCamelContext(ctx);
        agg.setGroup("EXT1");
        agg.setHome(home.toString());
        agg.setCacheSizeMb(1);
        agg.setBrOff(!br);
        agg.setBrInterval("10S");
        agg.setSimulatedClock(true);
        return agg;
    }

    /** Hands one redo batch to the aggregator; returns the transactions it hands to the trail, confirmed durable. */
    @SuppressWarnings("unchecked")
    static List<Transaction> send(Path home, TransactionAggregator agg, List<RedoRecord> records,
                                  Map<Integer, CheckpointPoint> current) {
        Exchange ex = new DefaultExchange(agg.getCamelContext());
        ex.getMessage().setBody(new RedoBatch(records, current));
        agg.process(ex);
        List<Transaction> written = ex.getMessage().getBody(List.class);
        written.forEach(t -> GroupRuntimes.of(agg.getCamelContext(), home, "EXT1").trailConfirmed(t.csn()));
        return written;
    }
}
