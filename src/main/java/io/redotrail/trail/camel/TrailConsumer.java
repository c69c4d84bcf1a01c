package io.redotrail.trail.camel;

import io.redotrail.camel.GroupConsumer;
import io.redotrail.camel.ReadAhead;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.StreamedChanges;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads whole transactions from the trail and hands each batch (body {@code List<Transaction>}, up to
 * {@code maxBatchOps} row changes) to the route synchronously on the consumer's thread ({@link GroupConsumer}); a
 * read-ahead thread ({@code TrailReadAhead[GROUP]}, ended with the consumer) reads and decodes the next batches
 * meanwhile, up to {@code readAheadMegabytes} ahead ({@link ReadAhead}: backpressure), so decoding overlaps
 * the route's work (a Replicat's apply, a pump's fsync). Positions move only when an exchange completed: what is
 * queued at a stop was never handed on, and is read again at the restart. {@code readAheadMegabytes=0} reads on the
 * consumer's thread, between exchanges. Header {@link TrailConstants#READ_CHECKPOINT} is a {@link TrailReadCheckpoint} whose
 * current position is the end of the batch's last transaction; when idle an empty batch is sent about once a
 * second so downstream can checkpoint. Header {@link TrailConstants#TRAIL_CAUGHT_UP} says whether the batch reached
 * the end of what the writer had completed (false: another batch is already waiting). A transaction of more than
 * {@code spillRows} row changes is spilled to {@code dirtmp/<GROUP>/} as it is read and handed on as a streamed
 * list.
 * <p>
 * Start position and read checkpoint by {@code role} ({@link TrailRole}): EXTRACT starts from the read checkpoint
 * in {@code dirchk/<GROUP>.cpe} (the trail producer writes it); REPLICAT from the {@code positionStore} bean when
 * given, else from {@code dirchk/<GROUP>.cpr}, which this consumer writes after each completed exchange
 * ({@link ConsumerCheckpoint}). Without a checkpoint: RBA 0 of the first existing trail file.
 */
public class TrailConsumer extends GroupConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(TrailConsumer.class);
    private static final long IDLE_EXCHANGE_MILLIS = 1000;
    /** Heap of a decoded row change beyond its bytes in the trail (its objects), for the read-ahead bound. */
    private static final int CHANGE_OVERHEAD = 200;
    /**
     * A spilled transaction read ahead counts as more than any bound, so its batch waits for an empty queue and
     * nothing is read after it until the route took it: its rows are in a spill file on disk, and counting it
     * small let thousands of spill files queue where one existed without read-ahead.
     */
    private static final long SPILLED_BYTES = 1L << 40;

    private final TrailEndpoint endpoint;
    private final TrailConfiguration config;
    private final ConsumerCheckpoint checkpoint;
    private TrailReader reader;
    private volatile TrailPosition position;
    private TrailPosition startup;
    private long startupMillis;
    /** Seqno/RBA of the incomplete tail record last reported (RTR-01004), or null. */
    private volatile String reportedTail;
    /** Whether the wait for a trail without files was reported (RTR-01005). */
    private volatile boolean reportedNoFile;
    private volatile long reportedMissing = -1;
    private ReadAhead<Read> ahead;

    /** An exchange as read: the batch and what its headers say of it; its heap for the read-ahead bound. */
    private record Read(List<Transaction> batch, TrailReadCheckpoint checkpoint, long rows, boolean caughtUp, long bytes) {
    }

    TrailConsumer(TrailEndpoint endpoint, Processor processor) {
        super(endpoint, processor, endpoint.home(), endpoint.getConfiguration().getGroup(),
                endpoint.getConfiguration().getRole().name());
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.checkpoint = config.getRole() == TrailRole.REPLICAT && config.getPositionStore() == null
                ? new ConsumerCheckpoint(endpoint.home(), config.getGroup(), endpoint.getPath()) : null;
    }

    /** A pump's batches must reach its trail producer, a Replicat's its applier; a user's own sink is its own. */
    @Override
    protected boolean expectsLastStage() {
        return config.getRole() == TrailRole.EXTRACT
                || (config.getPositionStore() != null && config.getPositionStore().takesEachBatch());
    }

    @Override
    protected String lastStage() {
        return config.getRole() == TrailRole.EXTRACT ? "trail producer" : "Replicat applier";
    }

    /** A sink route of the user's own (no pump, no positionStore): its error handler's choice stands. */
    @Override
    protected boolean handledFailureCompletes() {
        return checkpoint != null;
    }

    @Override
    protected void open() {
        checkRole();
        // a corrupt checkpoint file or an unreachable checkpoint table refuses the start
        startup = startPosition();
        startupMillis = recordMillisAt(startup);
        position = startup;
        if (checkpoint != null) checkpoint.started(startup, startupMillis);
        LOG.info("Group {} ({}) reading trail {} from {}", config.getGroup(), config.getRole(), endpoint.trail(), startup);
        // a transaction larger than spillRows is kept in dirtmp/<GROUP>/ while the route holds it
        Path spillDir = endpoint.home().resolve("dirtmp").resolve(config.getGroup().toUpperCase(Locale.ROOT));
        TrailReader.clearSpill(spillDir);
        reader = new TrailReader(endpoint.trail(), startup, config.getSpillRows() > 0 ? spillDir : null, config.getSpillRows(),
                config.opener(endpoint.home())).incompleteTailAfter(java.time.Duration.ofSeconds(config.getIncompleteTailSecs()));
        // a pump's trail producer writes the images back byte for byte: decoding them here would be thrown away
        if (config.getRole() == TrailRole.EXTRACT) reader.keepImagesEncoded();
    }

    /**
     * Where the read checkpoint lives follows from whether the group also writes a trail (its producer's .cpe) or not
     * (this consumer's .cpr, or the position store): a pump without role=EXTRACT would keep a second checkpoint
     * beside its producer's, and role=EXTRACT without a trail producer of the group keeps none, so every restart
     * delivered the trail from its start again. Both refuse the start while the CamelContext starts: it has made
     * every route's endpoints before it starts any consumer. A route added to a running context is started before the
     * next route of the same builder is made (a pump split over two routes joined by direct:), so it is not judged.
     */
    private void checkRole() {
        CamelContext ctx = endpoint.getCamelContext();
        if (ctx.getStatus().isStarted()) return;
        java.util.Set<org.apache.camel.Endpoint> consumers = new java.util.HashSet<>();
        for (org.apache.camel.Route r : ctx.getRoutes()) consumers.add(r.getEndpoint());
        Optional<TrailEndpoint> producer = ctx.getEndpoints().stream()
                .filter(e -> e instanceof TrailEndpoint t && !consumers.contains(e) && t.getConfiguration().getGroup().equalsIgnoreCase(config.getGroup()))
                .map(TrailEndpoint.class::cast).findFirst();
        if (config.getRole() == TrailRole.EXTRACT && producer.isEmpty()) {
            throw new IllegalStateException("RTR-01626 EXTRACT " + config.getGroup() + " not started: its trail: consumer says role=EXTRACT"
                    + " (a pump), but no trail: producer of group " + config.getGroup() + " is in its CamelContext; a pump's read"
                    + " checkpoint is written by that producer (dirchk/" + config.getGroup() + ".cpe), so without it every restart"
                    + " would read " + endpoint.trail() + " from its start again. A route of your own that reads a trail leaves role"
                    + " out (REPLICAT)");
        }
        if (config.getRole() == TrailRole.REPLICAT && config.getPositionStore() == null && producer.isPresent()) {
            throw new IllegalStateException("RTR-01626 REPLICAT " + config.getGroup() + " not started: its route reads " + endpoint.trail()
                    + " and a trail: producer writes " + producer.get().trail() + " as the same group: a pump, whose trail: consumer"
                    + " must say role=EXTRACT (its producer keeps the read checkpoint in dirchk/" + config.getGroup() + ".cpe)");
        }
    }

    /**
     * The record time (commit timestamp) at {@code p} when the group's checkpoint file last stopped there, else 0 until
     * the first transaction read from it tells (a repositioned start): a checkpoint shows the trail's time, not the clock's.
     */
    private long recordMillisAt(TrailPosition p) {
        Path f = config.getRole() == TrailRole.EXTRACT ? CheckpointFile.extractFile(endpoint.home(), config.getGroup())
                : CheckpointFile.replicatFile(endpoint.home(), config.getGroup());
        try {
            TrailReadCheckpoint r = new CheckpointFile(f).read().map(ProcessCheckpoint::trailRead).orElse(null);
            return r != null && p.equals(r.current()) ? r.currentTimestampMillis() : 0;
        } catch (RuntimeException e) {
            return 0; // the position came from elsewhere (a store); only the time shown waits for a transaction
        }
    }

    private TrailPosition startPosition() {
        Optional<TrailPosition> stored;
        if (config.getRole() == TrailRole.EXTRACT) {
            stored = new CheckpointFile(CheckpointFile.extractFile(endpoint.home(), config.getGroup())).read()
                    .map(ProcessCheckpoint::trailRead).map(TrailReadCheckpoint::current);
        } else if (config.getPositionStore() != null) {
            stored = config.getPositionStore().startPosition();
        } else {
            stored = checkpoint.read();
        }
        if (stored.isPresent()) return stored.get();
        long[] seqnos = TrailFormat.seqnos(endpoint.trail());
        if (seqnos.length > 0 && seqnos[0] > 0) withoutCheckpointFrom(seqnos[0]);
        return new TrailPosition(seqnos.length == 0 ? 0 : seqnos[0], 0);
    }

    /**
     * A reader with no read checkpoint starts at the oldest file of its trail; when that is not Sequence # 0, files
     * before it are gone and this group never reads what they held: said, not skipped silently (RTR-01008).
     */
    private void withoutCheckpointFrom(long first) {
        String program = config.getRole() == TrailRole.EXTRACT ? "EXTRACT" : "REPLICAT";
        String group = config.getGroup().toUpperCase(Locale.ROOT);
        String trail = HomePaths.store(endpoint.home(), endpoint.trail().toString());
        String why = program + " " + group + " has no read checkpoint: reading trail " + trail + " from its oldest file, "
                + "Sequence # " + first + " (" + HomePaths.store(endpoint.home(), TrailFormat.fileOf(endpoint.trail(), first).toString())
                + "); Sequence # 0 to " + (first - 1) + " are not there (purged?) and what they held is not read by this "
                + "group. If it is needed, restore those files and ALTER " + program + " " + group + ", EXTSEQNO 0, EXTRBA 0";
        LOG.warn(why);
        runtime().report().warning("RTR-01008", why);
    }

    @Override
    protected void consume() throws Exception {
        long[] last = {0, startupMillis}; // when the last exchange was read, and its last commit's timestamp
        boolean[] caughtUp = {true};
        if (config.getReadAheadMegabytes() == 0) {
            while (isPolling()) {
                Read read = read(last, caughtUp);
                if (read != null) deliver(read);
                else Thread.sleep(config.getIdleDelay());
            }
            return;
        }
        ahead = new ReadAhead<>(this, getEndpoint().getCamelContext(), "TrailReadAhead[" + group() + "]",
                config.getReadAheadMegabytes(), config.getIdleDelay(), () -> read(last, caughtUp), r -> r.bytes, r -> false);
        while (isPolling()) {
            Read read = ahead.take(config.getIdleDelay());
            if (read != null) deliver(read);
        }
    }

    /**
     * The next exchange to hand on, or null when the trail has nothing new and no exchange is due: an empty one
     * goes about once a second while idle, and at once after one that said more was waiting (a Replicat may hold
     * an open group). {@code last} and {@code caughtUp} carry what was read before, on the reading thread.
     */
    private Read read(long[] last, boolean[] caughtUp) {
        List<Transaction> batch = reader.poll(config.getMaxBatchOps());
        missingStartFile();
        incompleteTail();
        long now = System.currentTimeMillis();
        if (batch.isEmpty() && caughtUp[0] && now - last[0] < IDLE_EXCHANGE_MILLIS) return null;
        TrailPosition current;
        long rows = 0;
        long bytes = 0;
        if (batch.isEmpty()) {
            current = reader.position();
        } else {
            Transaction lastTx = batch.get(batch.size() - 1);
            current = lastTx.trailEnd();
            last[1] = lastTx.commitTimestampMillis();
            if (startupMillis == 0) startupMillis = batch.get(0).commitTimestampMillis(); // read from the startup position
            for (Transaction t : batch) {
                rows += t.size();
                bytes += heapBytes(t);
            }
        }
        caughtUp[0] = batch.isEmpty() || reader.atEnd();
        last[0] = now;
        return new Read(batch, new TrailReadCheckpoint(endpoint.getPath(), startup, startupMillis, current, last[1]),
                rows, caughtUp[0], bytes);
    }

    /** Hands one exchange to the route; once it completed, the position moves past it (and the .cpr, without a store). */
    private void deliver(Read read) throws Exception {
        // read ahead, the next exchange may already be waiting although the batch reached the end when it was read:
        // then it has not caught up (a Replicat keeps its group open instead of committing a small one)
        boolean caughtUp = read.caughtUp && (ahead == null || ahead.isEmpty());
        deliver(in -> {
            in.setBody(read.batch);
            in.setHeader(TrailConstants.READ_CHECKPOINT, read.checkpoint);
            in.setHeader(TrailConstants.ROW_COUNT, read.rows);
            in.setHeader(TrailConstants.TRAIL_CAUGHT_UP, caughtUp);
        }, !read.batch.isEmpty());
        position = read.checkpoint.current();
        if (checkpoint != null) {
            checkpoint.completed(read.checkpoint.current(), read.checkpoint.startupTimestampMillis(), read.checkpoint.currentTimestampMillis());
        }
    }

    /** Heap a transaction read ahead holds, for the bound: its bytes in the trail and its objects; spilled: see {@link #SPILLED_BYTES}. */
    private static long heapBytes(Transaction t) {
        if (t.changes() instanceof StreamedChanges) return SPILLED_BYTES;
        TrailPosition a = t.trailStart(), b = t.trailEnd();
        long trailBytes = a != null && b != null && a.seqno() == b.seqno() ? b.rba() - a.rba() : 0;
        return trailBytes + (long) t.size() * CHANGE_OVERHEAD;
    }

    /**
     * The start position's file does not exist but later files do (seed 000: a pump added with EXTTRAILSOURCE
     * starts at seqno 0 after the early files were purged). The reader waits, as GoldenGate's does; beyond
     * GoldenGate, the report says so once (RTR-01003, redotrail's own) and STATUS / STATS show it, naming the
     * missing file, the first existing seqno and the ALTER that repositions there if the operator accepts it.
     */
    private void missingStartFile() {
        long first = reader.missingStartFile();
        if (first < 0 && !reportedNoFile && reader.noFileYet()) {
            // normal for a reader started before its writer; shown, so a misspelt trail name does not look idle
            reportedNoFile = true;
            String why = "Waiting for trail file " + HomePaths.store(endpoint.home(), TrailFormat.fileOf(endpoint.trail(),
                    reader.seqno()).toString()) + ": trail " + HomePaths.store(endpoint.home(), endpoint.trail().toString())
                    + " has no file yet (its writer has not started, or the trail name differs from the one it writes)";
            runtime().waiting(why);
            runtime().report().info("RTR-01005", why);
            return;
        }
        if (reportedNoFile && !reader.noFileYet()) {
            reportedNoFile = false;
            runtime().waiting(null);
        }
        if (first < 0) {
            if (reportedMissing >= 0) {
                runtime().waiting(null);
                reportedMissing = -1;
            }
            return;
        }
        if (first == reportedMissing) return;
        reportedMissing = first;
        String program = config.getRole() == TrailRole.EXTRACT ? "EXTRACT" : "REPLICAT";
        String trail = HomePaths.store(endpoint.home(), endpoint.trail().toString());
        String why = "Waiting for trail file " + HomePaths.store(endpoint.home(), TrailFormat.fileOf(endpoint.trail(),
                reader.seqno()).toString()) + " (read checkpoint Sequence # " + reader.seqno() + "), which does not exist;"
                + " the first existing file of trail " + trail + " is Sequence # " + first + " ("
                + HomePaths.store(endpoint.home(), TrailFormat.fileOf(endpoint.trail(), first).toString()) + "). If the"
                + " earlier files were purged and are not needed, reposition with: ALTER " + program + " "
                + config.getGroup().toUpperCase(Locale.ROOT) + ", EXTSEQNO " + first + ", EXTRBA 0";
        runtime().waiting(why);
        runtime().report().warning("RTR-01003", why);
    }

    /**
     * The newest file has ended inside a record for a while (RTR-01004, redotrail's own): a writer stopped or
     * stalled mid-write, or a damaged length field. The reader waits, skipping nothing; the report says so once
     * per position and STATUS / STATS show it until reading moves on.
     */
    private void incompleteTail() {
        TrailReader.IncompleteTail tail = reader.incompleteTail();
        if (tail == null) {
            if (reportedTail != null) {
                runtime().waiting(null);
                reportedTail = null;
            }
            return;
        }
        String at = tail.seqno() + "/" + tail.rba();
        if (at.equals(reportedTail)) return;
        reportedTail = at;
        String why = "Waiting: " + tail.describe(HomePaths.store(endpoint.home(), tail.file().toString())) + ". Nothing after it is read or skipped."
                + " A writer still writing it goes on from there; if the trail's writer is stopped, starting it recovers"
                + " the file: a torn write is cut (OGG-01056), a damaged record that was written whole is refused naming this RBA";
        runtime().waiting(why);
        runtime().report().warning("RTR-01004", why);
    }

    @Override
    protected void release() {
        if (ahead != null) ahead.stop(); // the reader is not thread-safe: closed below, once that thread ended
        ahead = null;
        if (reader != null) reader.close();
    }

    @Override
    protected void stopped() {
        if (checkpoint != null) checkpoint.stopped();
    }

    @Override
    protected String where() {
        return "reading trail " + endpoint.trail() + (position == null ? " (at start)" : " after " + position);
    }

    /** End of the last transaction handed to the route (or the start position). */
    public TrailPosition position() {
        return position;
    }
}
