package io.redotrail.pump;

import io.redotrail.camel.StageFailure;
import io.redotrail.core.Heartbeat;
import io.redotrail.core.RowChange;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pump's TABLE parameter: keeps the row changes of tables matching {@link TablePatterns} and drops the
 * rest (the first change of each table dropped is said in the report, RTR-01007); a transaction left with no changes is dropped whole (the reader's checkpoint still advances past
 * it, carried by the exchange's read-checkpoint header, which this step leaves untouched). Body in and out:
 * {@code List<Transaction>} in commit order. A transaction the trail reader spilled to disk is filtered lazily
 * (nothing of it is copied to the heap). Single route thread; counters readable from anywhere.
 */
public class TableFilter implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(TableFilter.class);

    private TablePatterns patterns;
    private String group = "PUMP1";
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Trail tables whose changes were dropped and said so (once each: a misspelt TABLE shows here). */
    private final Set<String> reported = new HashSet<>();

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
    public void process(Exchange exchange) {
        StageFailure.run(exchange, false, this::processBatch);
    }

    @SuppressWarnings("unchecked")
    private void processBatch(Exchange exchange) {
        if (patterns == null) {
            throw new IllegalStateException(group + ": no TABLE patterns configured (property 'tables')");
        }
        GroupRuntime rt = GroupRuntimes.of(exchange.getContext()).find(group).orElse(null);
        List<Transaction> in = exchange.getMessage().getBody(List.class);
        List<Transaction> out = new ArrayList<>(in.size());
        for (Transaction t : in) {
            if (t.changes() instanceof StreamedChanges streamed) {
                Transaction f = filterStreamed(t, streamed, rt);
                if (f != null) out.add(f);
                continue;
            }
            List<RowChange> keep = null;
            for (int i = 0; i < t.changes().size(); i++) {
                RowChange c = t.changes().get(i);
                // heartbeat records pass every TABLE filter: they measure the path, not user data
                boolean ok = patterns.matches(c.table()) || Heartbeat.isHeartbeat(c);
                if (!ok) notSelected(c.table(), t, rt);
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

    /** The first change of a table no TABLE selects: said once in the report, so a misspelt TABLE is seen. */
    private void notSelected(String table, Transaction t, GroupRuntime rt) {
        if (!reported.add(table)) return;
        String line = group + ": trail table " + table + " matches no TABLE statement (" + patterns + "): its changes are"
                + " not passed on (the first in transaction XID " + t.xid() + " CSN " + t.csn() + "); said once per table.";
        LOG.info(line);
        if (rt != null) rt.report().info("RTR-01007", line);
    }

    /**
     * A transaction too large for the heap (spilled by the trail reader): one pass counts what is kept, and the
     * result filters while it is iterated, so nothing is copied to the heap. Null when nothing is kept.
     */
    private Transaction filterStreamed(Transaction t, StreamedChanges changes, GroupRuntime rt) {
        int keptRows = 0;
        for (RowChange c : changes) {
            if (patterns.matches(c.table())) keptRows++;
            else notSelected(c.table(), t, rt);
        }
        kept.addAndGet(keptRows);
        dropped.addAndGet(t.size() - keptRows);
        if (keptRows == t.size()) return t;
        if (keptRows == 0) return null;
        final int size = keptRows;
        return t.withChanges(new StreamedChanges() {
            @Override
            public Iterator<RowChange> iterator() {
                Iterator<RowChange> all = changes.iterator();
                return new Iterator<>() {
                    private RowChange next = advance();

                    private RowChange advance() {
                        while (all.hasNext()) {
                            RowChange c = all.next();
                            if (patterns.matches(c.table())) return c;
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public RowChange next() {
                        if (next == null) throw new NoSuchElementException();
                        RowChange c = next;
                        next = advance();
                        return c;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        });
    }
}
