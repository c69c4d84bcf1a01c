package io.redotrail.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.report.GroupStats;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer meters of one group (tags {@code group}, {@code kind}), every one a function of the group's
 * runtime state read when scraped ({@link GroupView}): nothing is counted twice, the pipeline keeps counting as it
 * did. Meters whose tags are only known as the group runs (a table, a redo thread, an output trail) are added by
 * {@link #refresh}, which {@link Observability} calls every {@value Observability#REFRESH_SECONDS} seconds. Names and
 * meanings: docs/observability.md. Thread-safe ({@link #refresh} is synchronized; meters read thread-safe state).
 */
final class GroupMeters {
    /** Every meter's name starts so (Prometheus: {@code redotrail_}). */
    static final String M = "redotrail.";
    private final MeterRegistry registry;
    private final GroupView view;
    private final Health health;
    private final Set<String> registered = new HashSet<>();
    private Tags tags;

    /** Whether the group is healthy now (the health check's rules), for the {@code redotrail.group.healthy} gauge. */
    interface Health {
        boolean up();
    }

    GroupMeters(MeterRegistry registry, GroupView view, Health health) {
        this.registry = registry;
        this.view = view;
        this.health = health;
    }

    /** Registers the meters not registered yet (the group's kind once known, new tables, threads and trails). */
    synchronized void refresh() {
        String kind = view.kind();
        if ("OTHER".equals(kind)) return; // no route of the group runs (yet): nothing to tag it with
        if (tags == null) {
            tags = Tags.of("group", view.group(), "kind", kind);
            groupMeters(kind);
        }
        for (GroupStats.TableTotals t : view.runtime().stats().totals()) tableMeters(t.source(), t.target());
        view.checkpoint(System.currentTimeMillis()).ifPresent(this::positionMeters);
    }

    private void groupMeters(String kind) {
        GroupStats stats = view.runtime().stats();
        gauge(M + "group.up", null, "1 while the group runs without an abend, 0 after it abended",
                v -> v.runtime().abendCause() == null ? 1 : 0);
        gauge(M + "group.healthy", null, "1 while the group's health check is UP, else 0", v -> health.up() ? 1 : 0);
        counter(M + "group.records", null, "records processed since start (operations, discards, ignores)", v -> stats.records());
        gauge(M + "lag", "seconds", "lag of the last record: its source commit time to when this group processed it",
                v -> millisOrNaN(stats.lastRecordLagMillis()));
        gauge(M + "checkpoint.lag", "seconds", "lag as the checkpoint records it: 0 at the end of the source, else the last record's lag",
                v -> millisOrNaN(stats.checkpointLagMillis()));
        gauge(M + "checkpoint.age", "seconds", "time since the group's checkpoint file was last written",
                v -> v.checkpoint(System.currentTimeMillis()).map(cp -> (System.currentTimeMillis() - cp.lastUpdateMillis()) / 1000.0)
                        .orElse(Double.NaN));
        switch (kind) {
            case "EXTRACT" -> extractMeters();
            case "REPLICAT" -> replicatMeters();
            default -> pumpMeters();
        }
    }

    private void extractMeters() {
        counter(M + "transactions", Tags.of("outcome", "committed"), "source transactions committed and handed to the trail",
                v -> v.extractStats() == null ? 0 : v.extractStats().transactionsCommitted.get());
        counter(M + "transactions", Tags.of("outcome", "rolledback"), "source transactions rolled back (dropped)",
                v -> v.extractStats() == null ? 0 : v.extractStats().transactionsRolledBack.get());
        counter(M + "redo.read", Tags.empty(), "bytes", "redo bytes read since start", v -> v.extractStats() == null ? 0 : v.extractStats().redoBytesRead.get());
        counter(M + "redo.records.read", null, "redo records read since start",
                v -> v.extractStats() == null ? 0 : v.extractStats().recordsRead.get());
        gauge(M + "open.transactions", null, "transactions open in the cache (seen, not yet committed or rolled back)",
                v -> v.cache().openTransactions());
        gauge(M + "oldest.open.transaction.age", "seconds", "age (now - source time of its first change) of the oldest open transaction, 0 when none",
                v -> v.cache().oldestOpenMillis() <= 0 ? 0 : Math.max(0, System.currentTimeMillis() - v.cache().oldestOpenMillis()) / 1000.0);
        gauge(M + "cache", "bytes", "heap the transaction cache holds (estimated)", v -> v.cache().memoryBytes());
        counter(M + "spilled", Tags.empty(), "bytes", "cache bytes (estimated) spilled to dirtmp/ since start", v -> v.cache().spilledBytes());
        counter(M + "spilled.changes", null, "row changes spilled to dirtmp/ since start", v -> v.cache().spilledChanges());
        gauge(M + "br.checkpoint.age", "seconds", "time since the last Bounded Recovery checkpoint of this run (NaN: none yet)",
                v -> v.cache().brCheckpointMillis() < 0 ? Double.NaN : (System.currentTimeMillis() - v.cache().brCheckpointMillis()) / 1000.0);
    }

    private void replicatMeters() {
        counter(M + "transactions", Tags.of("outcome", "applied"), "source transactions committed to the target",
                v -> v.apply().appliedTransactions());
        counter(M + "transactions", Tags.of("outcome", "skipped"), "source transactions skipped as already applied (checkpoint table)",
                v -> v.apply().skippedTransactions());
        counter(M + "transactions", Tags.of("outcome", "discarded"), "source transactions discarded whole (REPERROR TRANSDISCARD)",
                v -> v.apply().transDiscarded());
        counter(M + "apply.operations", null, "row operations committed to the target", v -> v.apply().appliedOperations());
        gauge(M + "open.transactions", null, "source transactions applied but not yet committed (an open GROUPTRANSOPS group)",
                v -> v.apply().openTransactions());
        gauge(M + "apply.appliers", null, "connections applying: a parallel Replicat's active appliers (MIN/MAX_APPLY_PARALLELISM moves them), 1 serially",
                v -> v.apply().appliers());
        counter(M + "apply.batches", null, "BATCHSQL JDBC batches executed", v -> v.apply().batches());
        counter(M + "apply.batched.statements", null, "statements those batches carried (/ batches = mean batch size)",
                v -> v.apply().batchedStatements());
        counter(M + "apply.retried.operations", null, "operations retried (REPERROR RETRYOP)", v -> v.apply().retriedOps());
        counter(M + "apply.transaction.aborts", null, "transactions rolled back and retried (REPERROR TRANSABORT)", v -> v.apply().transAborts());
        counter(M + "apply.replays", null, "GROUPTRANSOPS groups replayed one operation at a time after an error", v -> v.apply().replays());
        counter(M + "apply.collisions", null, "HANDLECOLLISIONS resolutions", v -> v.apply().collisions());
    }

    private void pumpMeters() {
        counter(M + "link.raw", Tags.empty(), "bytes", "trail bytes sent to the collector, before COMPRESS",
                v -> v.runtime().stats().linkCounters() == null ? 0 : v.runtime().stats().linkCounters().rawBytes());
        counter(M + "link.wire", Tags.empty(), "bytes", "bytes sent on the wire to the collector, after COMPRESS",
                v -> v.runtime().stats().linkCounters() == null ? 0 : v.runtime().stats().linkCounters().wireBytes());
    }

    private void tableMeters(String table, String target) {
        if (!registered.add("table " + table)) return;
        String[][] ops = {{"insert", "inserts"}, {"update", "updates"}, {"delete", "deletes"}};
        for (String[] op : ops) {
            counter(M + "records", Tags.of("table", table, "target", target, "op", op[0]),
                    "row operations of the table, per operation", v -> totals(v, table).map(t -> switch (op[0]) {
                        case "insert" -> t.inserts();
                        case "update" -> t.updates();
                        default -> t.deletes();
                    }).orElse(0L));
        }
        counter(M + "discarded.records", Tags.of("table", table, "target", target), "operations discarded (REPERROR DISCARD)",
                v -> totals(v, table).map(GroupStats.TableTotals::discards).orElse(0L));
        counter(M + "ignored.records", Tags.of("table", table, "target", target), "operations ignored (REPERROR IGNORE)",
                v -> totals(v, table).map(GroupStats.TableTotals::ignores).orElse(0L));
    }

    private static Optional<GroupStats.TableTotals> totals(GroupView v, String table) {
        for (GroupStats.TableTotals t : v.runtime().stats().totals()) if (t.source().equals(table)) return Optional.of(t);
        return Optional.empty(); // counters restarted (the group restarted in this context)
    }

    /** Read positions per redo thread or input trail, write positions per output trail, from the checkpoint file. */
    private void positionMeters(ProcessCheckpoint cp) {
        for (RedoReadCheckpoint r : cp.redoReads()) {
            int thread = r.thread();
            if (!registered.add("thread " + thread)) continue;
            Tags t = Tags.of("source", "thread " + thread);
            gauge(M + "read.seqno", t, null, "redo log sequence of the current read checkpoint",
                    v -> redo(v, thread).map(c -> (double) c.current().position().sequence()).orElse(Double.NaN));
            gauge(M + "read.rba", t, null, "redo byte address of the current read checkpoint",
                    v -> redo(v, thread).map(c -> (double) c.current().position().rba()).orElse(Double.NaN));
            gauge(M + "read.scn", t, null, "SCN of the current read checkpoint",
                    v -> redo(v, thread).map(c -> (double) c.current().scn().value()).orElse(Double.NaN));
        }
        if (cp.trailRead() != null && registered.add("trail read")) {
            Tags t = Tags.of("source", cp.trailRead().trail());
            gauge(M + "read.seqno", t, null, "trail file sequence of the current read checkpoint",
                    v -> v.checkpoint(System.currentTimeMillis()).filter(c -> c.trailRead() != null)
                            .map(c -> (double) c.trailRead().current().seqno()).orElse(Double.NaN));
            gauge(M + "read.rba", t, null, "trail byte address of the current read checkpoint",
                    v -> v.checkpoint(System.currentTimeMillis()).filter(c -> c.trailRead() != null)
                            .map(c -> (double) c.trailRead().current().rba()).orElse(Double.NaN));
        }
        List<WriteCheckpoint> writes = cp.writes();
        for (int i = 0; i < writes.size(); i++) {
            int index = i;
            if (!registered.add("write " + i)) continue;
            Tags t = Tags.of("trail", writes.get(i).trail());
            gauge(M + "write.seqno", t, null, "trail file sequence of the write checkpoint", v -> write(v, index).map(w -> (double) w.position().seqno()).orElse(Double.NaN));
            gauge(M + "write.rba", t, null, "trail byte address of the write checkpoint", v -> write(v, index).map(w -> (double) w.position().rba()).orElse(Double.NaN));
            gauge(M + "write.csn", t, null, "CSN of the last transaction written to the trail", v -> write(v, index).map(w -> (double) w.lastCsn().value()).orElse(Double.NaN));
        }
    }

    private static Optional<RedoReadCheckpoint> redo(GroupView v, int thread) {
        return v.checkpoint(System.currentTimeMillis()).map(c -> c.redoRead(thread)).filter(r -> r.current() != null);
    }

    private static Optional<WriteCheckpoint> write(GroupView v, int index) {
        return v.checkpoint(System.currentTimeMillis()).map(c -> c.write(index));
    }

    private static double millisOrNaN(long millis) {
        return millis < 0 ? Double.NaN : millis / 1000.0;
    }

    private void gauge(String name, String unit, String help, ToDoubleFunction<GroupView> f) {
        gauge(name, Tags.empty(), unit, help, f);
    }

    private void gauge(String name, Tags extra, String unit, String help, ToDoubleFunction<GroupView> f) {
        Gauge.builder(name, view, f).tags(tags.and(extra)).baseUnit(unit).description(help).strongReference(true).register(registry);
    }

    private void counter(String name, Tags extra, String help, ToDoubleFunction<GroupView> f) {
        counter(name, extra, null, help, f);
    }

    private void counter(String name, Tags extra, String unit, String help, ToDoubleFunction<GroupView> f) {
        FunctionCounter.builder(name, view, f).tags(tags.and(extra == null ? Tags.empty() : extra)).baseUnit(unit)
                .description(help).register(registry);
    }
}
