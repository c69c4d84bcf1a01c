package io.redotrail.pump;

import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pump's TABLE parameter: keeps the row changes of tables matching {@link TablePatterns} and drops the
 * rest; a transaction left with no changes is dropped whole (the reader's checkpoint still advances past
 * it, carried by the exchange's read-checkpoint header, which this step leaves untouched). Body in and out:
 * {@code List<Transaction>} in commit order. Single route thread; counters readable from anywhere.
 */
public class TableFilter implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(TableFilter.class);

    private TablePatterns patterns;
    private String group = "PUMP1";
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public void setTables(String spec) {
        this.patterns = TablePatterns.parse(spec);
    }

    public void setGroup(String group) {
        this.group = group.toUpperCase();
    }

    public long keptOps() {
        return kept.get();
    }

    public long droppedOps() {
        return dropped.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        if (patterns == null) {
            throw new IllegalStateException(group + ": no TABLE patterns configured (property 'tables')");
        }
        List<Transaction> in = exchange.getMessage().getBody(List.class);
        List<Transaction> out = new ArrayList<>(in.size());
        for (Transaction t : in) {
            List<RowChange> keep = null;
            for (int i = 0; i < t.changes().size(); i++) {
                RowChange c = t.changes().get(i);
                boolean ok = patterns.matches(c.table());
                if (!ok && keep == null) {
                    keep = new ArrayList<>(t.changes().subList(0, i));
                } else if (ok && keep != null) {
                    keep.add(c);
                }
            }
            if (keep == null) {
                kept.addAndGet(t.size());
                out.add(t);
            } else {
                kept.addAndGet(keep.size());
                dropped.addAndGet(t.size() - keep.size());
                if (!keep.isEmpty()) out.add(t.withChanges(keep));
                else if (LOG.isDebugEnabled()) LOG.debug("{}: transaction {} has no selected table", group, t.xid());
            }
        }
        exchange.getMessage().setBody(out);
    }
}
