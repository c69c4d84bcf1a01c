package io.redotrail.extract;

import io.redotrail.camel.StageFailure;
import io.redotrail.checkpoint.BrPoints;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.redo.camel.RedoConstants;
import io.redotrail.trail.camel.TrailConstants;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.core.RedoPosition;
import io.redotrail.extract.br.BrCheckpoint;
import io.redotrail.extract.br.BrException;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoRecord;
import io.redotrail.redo.RedoStartPositions;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The extract's transaction cache: turns a stream of redo records (a {@link RedoBatch} per exchange, in global
 * SCN order) into whole committed {@link Transaction}s (a {@code List<Transaction>} per exchange, in commit-SCN
 * order). Changes are buffered per XID; COMMIT emits the transaction, ROLLBACK drops it. Each outgoing
 * exchange carries {@link TrailConstants#READ_CHECKPOINT}: per thread the Startup, Recovery (first record of the
 * oldest open transaction, else Current) and Current read checkpoints ({@link ReadCheckpoints}), which the trail
 * producer persists once the transactions are durable in the trail.
 * <p>
 * Why not Camel's aggregate EIP: it completes groups on another thread pool (order breaks after 1,000 queued
 * completions), cannot discard a group on ROLLBACK, and its persistent repositories rewrite the whole group on
 * every add. This processor runs on the consumer's thread, so order and backpressure come for free.
 * <p>
 * After a restart the redo is re-read from the Recovery checkpoint. A COMMIT whose transaction began before
 * that point (we never saw its first change) must have been committed before the checkpoint was taken, so its
 * CSN is at or below the checkpoint's last written CSN: it is already in the trail and is skipped (counted).
 * If such a commit is above that CSN, changes would be lost, so the extract stops instead.
 * <p>
 * Heap use does not grow with transaction size: changes beyond the cache budget spill to {@code dirtmp/}
 * ({@link TransactionCache}). Transactions open longer than BRINTERVAL are persisted to {@code BR/} so a
 * restart need not re-read their old redo ({@link BoundedRecovery}).
 * <p>
 * The group's state shared with the trail producer (what it confirmed durable, the report file, control
 * commands) is the group's {@link GroupRuntime} in this bean's CamelContext. With Bounded Recovery on, the
 * trail producer of the same group must run in the same context: otherwise the extract abends at start,
 * naming the group, rather than run without BR checkpoints.
 * <p>
 * Not thread-safe: one route thread calls {@link #process}; {@link #stats()} may be read from anywhere.
 */
public class TransactionAggregator implements Processor, RedoStartPositions, CamelContextAware {

    private String group = "EXT1";
    private String home = ".";
    private String brInterval = "4H";
    private String brDir = "BR";
    private boolean brOff;
    private boolean brReset;
    private boolean brKeepStaleFiles;
    private boolean simulatedClock;
    private long cacheSizeMb = Math.max(16, Runtime.getRuntime().maxMemory() / 4 / (1 << 20));

    private TransactionCache cache;
    private BoundedRecovery br;
    private BrPoints brPoints;
    private final Map<Integer, RedoPosition> restoredUntil = new HashMap<>();
    private final Map<Integer, CheckpointPoint> restartPositions = new TreeMap<>();
    private final ReadCheckpoints checkpoints = new ReadCheckpoints();
    private final ExtractStats stats = new ExtractStats();
    private Scn checkpointedCsn;
    private CamelContext camelContext;
    private GroupRuntime runtime;
    private boolean firstStart;
    private final ExtractControl control = new ExtractControl();
    private final LongTransactionMonitor longTrans = new LongTransactionMonitor();
    private volatile CacheView cacheView = CacheView.EMPTY;
    private volatile long brCheckpointMillis = -1;
    private TrailConfirmation trail;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setGroup(String group) {
        this.group = group.toUpperCase();
    }

    public String getGroup() {
        return group;
    }

    public void setHome(String home) {
        this.home = home;
    }

    /** BRINTERVAL, e.g. {@code 20M} or {@code 4H} (20M..96H; seconds only with the simulated clock). */
    public void setBrInterval(String brInterval) {
        this.brInterval = brInterval;
    }

    /** BRDIR, relative to the home; one subdirectory per group. */
    public void setBrDir(String brDir) {
        this.brDir = brDir;
    }

    public void setBrOff(boolean brOff) {
        this.brOff = brOff;
    }

    /** BRRESET: ignore Bounded Recovery state for this start (normal recovery), then checkpoint afresh. */
    public void setBrReset(boolean brReset) {
        this.brReset = brReset;
    }

    public void setBrKeepStaleFiles(boolean keep) {
        this.brKeepStaleFiles = keep;
    }

    public void setSimulatedClock(boolean simulatedClock) {
        this.simulatedClock = simulatedClock;
    }

    /** CACHESIZE: heap budget for cached changes before they spill to dirtmp/; 0 = a quarter of the heap. */
    public void setCacheSizeMb(long mb) {
        if (mb < 0) throw new IllegalArgumentException(group + ": cacheSizeMb must be >= 0, got " + mb);
        this.cacheSizeMb = mb == 0 ? Math.max(16, Runtime.getRuntime().maxMemory() / 4 / (1 << 20)) : mb;
    }

    /** WARNLONGTRANS: report open transactions older than this ({@code 1H} default; 30S, 5M, 2D ...). */
    public void setWarnLongTrans(String duration) {
        longTrans.setWarnLongTrans(duration);
    }

    /** Tests: the wall clock WARNLONGTRANS carries record time on with while no redo is written. */
    void longTransWallClock(java.util.function.LongSupplier millis) {
        longTrans.wallClock(millis);
    }

    /** CHECKINTERVAL for WARNLONGTRANS, in record time ({@code 5M} default). */
    public void setCheckInterval(String duration) {
        longTrans.setCheckInterval(duration);
    }

    /**
     * SEND EXTRACT g, BR ...: BRSTATUS, BRCHECKPOINT IMMEDIATE | IN | AT and BRINTERVAL, on the route thread where
     * the BR state lives. BRSTART / BRSTOP (for support cases in GoldenGate) and the rest are refused naming these.
     */
    private String brCommand(List<String> args) {
        String what = args.isEmpty() ? "" : args.get(0).toUpperCase(java.util.Locale.ROOT);
        if (!List.of("BRSTATUS", "BRCHECKPOINT", "BRINTERVAL").contains(what) || (what.equals("BRSTATUS") && args.size() > 1)) {
            throw new IllegalArgumentException("BR " + String.join(" ", args) + " is not supported; SEND EXTRACT " + group
                    + ", BR BRSTATUS | BRCHECKPOINT {IMMEDIATE | IN n{M|H} | AT yyyy-mm-dd[ hh:mm[:ss]]} | BRINTERVAL interval");
        }
        if (br == null) return "Bounded Recovery is off for " + group + " (" + (brOff ? "BR BROFF" : "not started") + ").\n";
        if (what.equals("BRSTATUS")) return br.status(brInterval);
        String reply = br.command(args, simulatedClock);
        if (what.equals("BRINTERVAL")) brInterval = args.get(1);
        return reply;
    }

    public ExtractControl control() {
        return control;
    }

    public ExtractStats stats() {
        return stats;
    }

    /** The transaction cache as of the last batch, for metrics. */
    public CacheView cacheView() {
        return cacheView;
    }

    private void publishCacheView() {
        long oldest = 0;
        for (OpenTransaction t : cache.open()) {
            long ts = t.start.timestampMillis();
            if (ts > 0 && (oldest == 0 || ts < oldest)) oldest = ts;
        }
        cacheView = new CacheView(cache.open().size(), oldest, cache.memoryBytes(), cache.spilledChanges(),
                cache.spilledBytes(), brCheckpointMillis);
    }

    /** Open transactions, oldest first (for SHOWTRANS-style inspection). */
    public synchronized List<String> describeOpen() {
        init();
        List<String> out = new ArrayList<>();
        cache.open().forEach(t -> out.add("XID " + t.xid + " items " + t.changes.size() + " thread " + t.thread
                + " start " + t.start.position() + " SCN " + t.start.scn().display()));
        return out;
    }

    /**
     * Where the redo consumer should start, per thread, when Bounded Recovery restored transactions (empty:
     * use the extract checkpoint's Recovery position). Restores BR state on the first call.
     */
    @Override
    public synchronized Map<Integer, CheckpointPoint> startPositions() {
        init();
        return Map.copyOf(restartPositions);
    }

    private void init() {
        if (cache != null) return;
        Path h = Path.of(home);
        runtime = GroupRuntimes.of(camelContext, h, group);
        trail = new TrailConfirmation(group, runtime, !brOff);
        if (!brOff && runtime.trailState() == null) {
            throw new IllegalStateException(group + ": Bounded Recovery needs the trail producer of group " + group
                    + " (a trail: endpoint with group=" + group + " after this aggregator) running in the same CamelContext,"
                    + " and none has started; add it to the route, or set brOff=true to run without Bounded Recovery");
        }
        // spill files of a previous run are not recovery state: the redo or BR rebuilds the cache
        io.redotrail.core.FileTrees.delete(h.resolve("dirtmp").resolve(group));
        cache = new TransactionCache(h.resolve("dirtmp").resolve(group), cacheSizeMb << 20);
        checkpointedCsn = ReadCheckpoints.lastCheckpointedCsn(h, group);
        firstStart = ReadCheckpoints.firstStart(h, group);
        if (brOff) return;
        br = new BoundedRecovery(BoundedRecovery.dirOf(h.resolve(brDir), group), group,
                BoundedRecovery.parseInterval(brInterval, simulatedClock), brKeepStaleFiles, runtime.report());
        BoundedRecovery b = br;
        cache.onRemove(b::release);
        if (brReset) {
            runtime.report().info("OGG-01635", "BOUNDED RECOVERY: reset to initial or altered checkpoint (BRRESET)");
            br.reset();
            return;
        }
        if (definedByAdd(h) && br.hasCheckpoint()) {
            // ADD EXTRACT defined the group and it never ran: a BR checkpoint here is an earlier group's of this name
            // (DELETE EXTRACT left it in BRDIR), and restoring it would start past the BEGIN point ADD gave
            runtime.report().info("OGG-01635", "BOUNDED RECOVERY: reset to initial checkpoint (first start of " + group
                    + "; BR files in " + BoundedRecovery.dirOf(h.resolve(brDir), group) + " retired)");
            br.reset();
            return;
        }
        try {
            Optional<BrCheckpoint> cp = br.restore(cache, c -> superseded(h, c));
            cp.ifPresent(c -> {
                restartPositions.putAll(c.restart());
                c.end().forEach((t, p) -> restoredUntil.put(t, p.position()));
                if (c.trailCsn().compareTo(checkpointedCsn) > 0) checkpointedCsn = c.trailCsn();
            });
        } catch (BrException e) {
            runtime.report().warning("OGG-02937", e.getMessage() + "; no valid BR checkpoint, falling back to normal recovery");
            cache = new TransactionCache(h.resolve("dirtmp").resolve(group), cacheSizeMb << 20);
            cache.onRemove(b::release);
            br.reset();
        }
    }

    /** Whether the stored checkpoint is one GGSCI ADD wrote that no run has replaced (start time 0). */
    private boolean definedByAdd(Path h) {
        try {
            return new CheckpointFile(CheckpointFile.extractFile(h, group)).read().map(BoundedRecovery::definedNotStarted).orElse(false);
        } catch (RuntimeException e) {
            return false; // the redo consumer reports a damaged file
        }
    }

    /**
     * Whether the extract checkpoint was written after the BR checkpoint {@code c} (its Current is at or past c's
     * end on every thread) with a Recovery checkpoint at or past c's restart position on every thread: then every
     * transaction c persisted has ended (each began before that restart position), and normal recovery from the
     * Recovery checkpoint reads less redo than c would, none of it older (the logs SHOWTRANS called unneeded may be
     * gone). Said in the report (RTR-01401) and the BR state is retired.
     */
    private boolean superseded(Path h, BrCheckpoint c) {
        ProcessCheckpoint pc = new CheckpointFile(CheckpointFile.extractFile(h, group)).read().orElse(null);
        if (!BoundedRecovery.supersededBy(c, pc)) return false;
        runtime.report().info("RTR-01401", "BOUNDED RECOVERY: BR checkpoint " + c.number() + " is superseded: the extract"
                + " checkpoint written after it has its Recovery checkpoint at " + pc.redoReads().stream()
                .map(r -> "Thread " + r.thread() + " SeqNo " + r.recovery().position().sequence() + ", RBA " + r.recovery().position().rba())
                .toList() + ", at or past the BR restart position; the " + c.persisted().size() + " transaction(s) it persisted"
                + " have ended. Normal recovery from the Recovery checkpoint; the BR state is retired");
        return true;
    }

    @Override
    public synchronized void process(Exchange exchange) {
        StageFailure.run(exchange, false, this::processBatch);
    }

    private void processBatch(Exchange exchange) {
        RedoBatch batch = exchange.getMessage().getBody(RedoBatch.class);
        if (batch == null) {
            throw new IllegalArgumentException(group + ": extract aggregator expects a RedoBatch body, got "
                    + exchange.getMessage().getBody());
        }
        if (camelContext == null) camelContext = exchange.getContext();
        init();
        Scn confirmed = trail.atBatch(stats.lastCsn);
        if (confirmed != null) {
            cache.releaseEnded(); // the trail has written every transaction handed on: their spill files can go
        }
        if (br != null && !batch.records().isEmpty()) {
            // source time has reached the latest record of this batch; the checkpoint records the state before it
            long now = batch.records().get(batch.records().size() - 1).timestampMillis();
            // only what the trail producer confirmed may lie behind a BR checkpoint
            if (br.due(now) && !checkpoints.current().isEmpty() && confirmed != null) {
                confirmed = trail.all(stats.lastCsn); // the restart point is after every transaction handed on
                brPoints = br.checkpoint(now, Scn.of(Math.max(confirmed.value(), checkpointedCsn.value())), cache,
                        checkpoints.current());
                brCheckpointMillis = System.currentTimeMillis();
            }
        }
        List<Transaction> committed = new ArrayList<>();
        control.apply(runtime, cache, checkpoints.current(), committed, stats, this::brCommand);
        int forced = committed.size(); // FORCETRANS: counted by the control already
        List<RedoRecord> records = batch.records();
        // the startup point of a thread is its first record ever read: looked for only while a thread lacks one
        boolean findStartup = checkpoints.lacksStartup(batch);
        int lastThread = -1;
        for (int i = 0; i < records.size(); i++) {
            RedoRecord r = records.get(i);
            if (findStartup && r.position().thread() != lastThread) {
                checkpoints.seen(r);
                lastThread = r.position().thread();
            }
            if (control.ignores(r)) continue;
            switch (r.op()) {
                case COMMIT -> commit(r, committed);
                case ROLLBACK -> rollback(r);
                default -> change(r);
            }
        }
        // counters other threads read: once per batch, not per record
        stats.recordsRead.addAndGet(batch.records().size());
        stats.redoBytesRead.addAndGet(batch.redoBytes());
        long committedRows = 0;
        long forcedRows = 0;
        for (int i = 0; i < committed.size(); i++) {
            committedRows += committed.get(i).size();
            if (i == forced - 1) forcedRows = committedRows;
        }
        stats.transactionsCommitted.addAndGet(committed.size() - forced);
        stats.rowsCommitted.addAndGet(committedRows - forcedRows);
        // after the counters: who sees a commit's CSN sees it counted
        if (committed.size() > forced) stats.lastCsn = committed.get(committed.size() - 1).csn().value();
        if (!batch.records().isEmpty()) stats.lastReadScn = batch.records().get(batch.records().size() - 1).scn().value();
        checkpoints.read(batch);
        longTrans.check(runtime, cache.open(), batch,
                !simulatedClock && Boolean.TRUE.equals(exchange.getMessage().getHeader(RedoConstants.CAUGHT_UP)));
        exchange.getMessage().setBody(committed);
        exchange.getMessage().setHeader(TrailConstants.READ_CHECKPOINT, checkpoints.of(cache.open()));
        if (brPoints != null) exchange.getMessage().setHeader(TrailConstants.BR_CHECKPOINT, brPoints);
        exchange.getMessage().setHeader(TrailConstants.ROW_COUNT, committedRows);
        // the trail producer records "At EOF" (lag 0) in the checkpoint when reading the redo caught up
        Object caughtUp = exchange.getMessage().getHeader(RedoConstants.CAUGHT_UP);
        if (caughtUp != null) exchange.getMessage().setHeader(TrailConstants.TRAIL_CAUGHT_UP, caughtUp);
        publishCacheView();
    }

    private void change(RedoRecord r) {
        OpenTransaction t = cache.get(r.xid());
        if (t == null) {
            t = cache.begin(r.xid(), r.position().thread(), ReadCheckpoints.point(r), r.first());
        } else if (t.restored && restoredBeforeEnd(r)) {
            return; // already in the BR object file this transaction was restored from
        }
        cache.add(t, r.change(), r.length());
    }

    private boolean restoredBeforeEnd(RedoRecord r) {
        RedoPosition end = restoredUntil.get(r.position().thread());
        return end != null && r.position().compareTo(end) < 0;
    }

    private void commit(RedoRecord r, List<Transaction> out) {
        OpenTransaction t = cache.remove(r.xid());
        if (t == null || !t.complete) {
            if (r.scn().compareTo(checkpointedCsn) <= 0) {
                stats.transactionsBeforeRecoveryPoint.incrementAndGet();
                return;
            }
            if (firstStart) {
                // no checkpoint yet: the user chose where capture begins (BEGIN NOW / earliest log), and this
                // transaction was already in flight there, so it is outside the capture; say so, loudly
                stats.transactionsBeforeRecoveryPoint.incrementAndGet();
                runtime.report().warning("OGG-01028", "Transaction " + r.xid() + " committed at SCN "
                        + r.scn().display() + " began before the position capture started from (first start: the BEGIN point of"
                        + " ADD EXTRACT, or where reading began without a checkpoint); its changes are not captured");
                return;
            }
            throw new IllegalStateException(group + ": transaction " + r.xid() + " committed at SCN "
                    + r.scn().display() + " (" + r.position() + ", " + r.redoFile() + ") began before the redo "
                    + "position reading started from, and is not in the trail (last CSN " + checkpointedCsn
                    + "); its earlier changes are unavailable. Restart from an earlier redo position.");
        }
        out.add(new Transaction(t.xid, r.scn(), r.timestampMillis(), t.thread, t.changes.changes(), t.start.position()));
    }

    private void rollback(RedoRecord r) {
        OpenTransaction t = cache.remove(r.xid());
        stats.transactionsRolledBack.incrementAndGet();
        if (t != null) stats.rowsRolledBack.addAndGet(t.changes.size());
    }
}
