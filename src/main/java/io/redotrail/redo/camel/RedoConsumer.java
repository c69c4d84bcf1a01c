package io.redotrail.redo.camel;

import io.redotrail.camel.GroupConsumer;
import io.redotrail.camel.ReadAhead;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoRecord;
import io.redotrail.redo.ThreadMerger;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hands each {@link RedoBatch} to the route synchronously on the consumer's thread ({@link GroupConsumer}); a
 * read-ahead thread (also from the CamelContext's ExecutorServiceManager, ended with the consumer) reads and checks
 * the next batches meanwhile, so decoding overlaps the route's work and the trail's fsync, up to
 * {@code readAheadMegabytes} ahead ({@link ReadAhead}: backpressure). Each batch carries the read positions
 * just after its own records, so a checkpoint never covers redo read ahead; what is queued at a stop is dropped
 * and read again at the restart. {@code readAheadMegabytes=0} reads on the consumer's thread, between exchanges. Starts each redo thread at the Recovery checkpoint of
 * {@code home/dirchk/<GROUP>.cpe}, else at the earliest log (or the end, with begin=now). Any failure, reading
 * or processing, abends the group (OGG-01668) and stops reading: nothing after a failure is processed. A missing
 * redo log (OGG-00446) names the read checkpoint that needs it (Recovery, Current or Startup) with thread,
 * sequence and RBA. With several threads, records are merged by SCN using each thread's heartbeat watermark
 * ({@link ThreadMerger}).
 */
public class RedoConsumer extends GroupConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedoConsumer.class);

    /** Heap of a record beyond its bytes on disk (its objects), for the read-ahead bound. */
    private static final int RECORD_OVERHEAD = 200;

    private final RedoConfiguration cfg;
    private volatile ThreadMerger merger;
    private ReadAhead<Read> ahead;
    // for the abend message, read on the consumer thread: the points after the last batch read and delivered
    private volatile Map<Integer, CheckpointPoint> readPoints;
    private volatile Map<Integer, CheckpointPoint> deliveredPoints;

    /** A batch as read, with what the exchange's headers say of it and its size for the read-ahead bound. */
    private record Read(RedoBatch batch, long rows, boolean caughtUp, long bytes) {
    }

    public RedoConsumer(RedoEndpoint endpoint, Processor processor) {
        super(endpoint, processor, Path.of(endpoint.getConfiguration().getHome()), endpoint.getConfiguration().getGroup(),
                "EXTRACT");
        this.cfg = endpoint.getConfiguration();
    }

    @Override
    protected void consume() throws Exception {
        // opened on the consumer thread: a missing log at the checkpoint abends the group, it does not fail the start
        merger = openMerger();
        deliveredPoints = merger.currentPoints();
        long[] lastSent = {System.currentTimeMillis()};
        if (cfg.getReadAheadMegabytes() == 0) {
            while (isPolling()) {
                Read read = read(lastSent);
                if (read != null) deliver(read);
                if (read == null || read.batch.records().isEmpty()) Thread.sleep(cfg.getIdleDelay());
            }
            return;
        }
        ahead = new ReadAhead<>(this, getEndpoint().getCamelContext(), "RedoReadAhead[" + group() + "]",
                cfg.getReadAheadMegabytes(), cfg.getIdleDelay(), () -> read(lastSent), r -> r.bytes, r -> r.batch.records().isEmpty());
        while (isPolling()) {
            Read read = ahead.take(cfg.getIdleDelay());
            if (read != null) deliver(read);
        }
    }

    /** The next batch, or null when there is none and no idle batch is due ({@code lastSent} updated when one is). */
    private Read read(long[] lastSent) {
        List<RedoRecord> records = merger.next(cfg.getMaxBatchRecords());
        long now = System.currentTimeMillis();
        if (records.isEmpty() && now - lastSent[0] < cfg.getIdleDelay() * 50) return null;
        lastSent[0] = now;
        long changes = 0;
        long redoBytes = 0;
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < records.size(); i++) { // one pass for the queue's bound and the aggregator's sums
            RedoRecord r = records.get(i);
            if (r.op().isRowChange()) changes++;
            redoBytes += r.length();
            latest = Math.max(latest, r.timestampMillis());
        }
        RedoBatch batch = new RedoBatch(records, merger.currentPoints(), redoBytes, latest);
        long bytes = redoBytes + (long) records.size() * RECORD_OVERHEAD;
        readPoints = batch.currentByThread();
        return new Read(batch, changes, records.size() < cfg.getMaxBatchRecords(), bytes);
    }

    private void deliver(Read read) throws Exception {
        deliver(in -> {
            in.setBody(read.batch);
            in.setHeader(RedoConstants.ROW_COUNT, read.rows);
            in.setHeader(RedoConstants.CAUGHT_UP, read.caughtUp);
        }, !read.batch.records().isEmpty());
        deliveredPoints = read.batch.currentByThread();
    }

    /** An Extract whose trail producer runs in this context (without one, a test's or user's own sink). */
    @Override
    protected boolean expectsLastStage() {
        return runtime().trailState() != null;
    }

    @Override
    protected void release() {
        if (ahead != null) ahead.stop(); // the readers are not thread-safe: closed below, once that thread ended
        ahead = null;
        if (merger != null) merger.close();
        merger = null;
    }

    @Override
    protected String where() {
        String at = "reading redo of " + ((RedoEndpoint) getEndpoint()).getDatabase();
        if (merger == null) return at + " (opening the logs at the checkpoint)";
        Map<Integer, CheckpointPoint> read = readPoints;
        Map<Integer, CheckpointPoint> delivered = deliveredPoints;
        return at + " at " + delivered + (read == null || read.equals(delivered) ? "" : " (read ahead to " + read + ")");
    }

    /** One reader per thread, positioned at the thread's Recovery checkpoint or per {@code begin}. */
    private ThreadMerger openMerger() {
        Path home = Path.of(cfg.getHome());
        Path redoDir = home.resolve("redo");
        Path archDir = home.resolve("arch");
        Optional<ProcessCheckpoint> cp = new CheckpointFile(CheckpointFile.extractFile(home, cfg.getGroup())).read();
        List<RedoLogReader> readers = new ArrayList<>();
        Map<Integer, CheckpointPoint> start = new TreeMap<>();
        Map<Integer, CheckpointPoint> override = cfg.getStartPositions() == null ? Map.of()
                : cfg.getStartPositions().startPositions();
        for (int t = 1; t <= cfg.getThreads(); t++) {
            int thread = t;
            RedoReadCheckpoint rr = cp.map(p -> p.redoRead(thread)).orElse(null);
            RedoLogReader reader;
            CheckpointPoint br = override.get(t);
            if (br != null) {
                reader = new RedoLogReader(redoDir, archDir, t, br.position()).neededBy("BR restart");
                start.put(t, br);
                LOG.info("Extract {} thread {}: starting at Bounded Recovery restart position {}", cfg.getGroup(), t, br.position());
            } else if (rr != null && rr.recovery() != null) {
                reader = new RedoLogReader(redoDir, archDir, t, rr.recovery().position()).neededBy("Recovery");
                start.put(t, rr.recovery());
                LOG.info("Extract {} thread {}: starting at recovery checkpoint {}", cfg.getGroup(), t, rr.recovery().position());
            } else if (cp.isPresent() && !cp.get().redoReads().isEmpty() && cp.get().startTimeMillis() == 0) {
                // ADD or ALTER gave other threads a begin (ADD EXTRACT ..., THREADS n below the source's count, before
                // that was refused): reading this one from its oldest log would capture history from before BEGIN. A
                // group that ran lacks a thread it never read a record of (idle): that one is read from its oldest log
                throw new IllegalStateException("Extract " + cfg.getGroup() + " has read checkpoints for redo thread(s) "
                        + cp.get().redoReads().stream().map(r -> Integer.toString(r.thread())).toList() + " but none for thread " + t
                        + " of the " + cfg.getThreads() + " it reads (redotrail.redo.threads); position every thread with"
                        + " ALTER EXTRACT " + cfg.getGroup() + ", BEGIN NOW | BEGIN time | SCN n, or give this one a start with"
                        + " ALTER EXTRACT " + cfg.getGroup() + ", THREAD " + t + ", EXTSEQNO n, EXTRBA m");
            } else if ("now".equals(cfg.getBegin())) {
                reader = RedoLogReader.atEnd(redoDir, archDir, t);
                LOG.info("Extract {} thread {}: no checkpoint, beginning now at {}", cfg.getGroup(), t, reader.position());
            } else {
                reader = new RedoLogReader(redoDir, archDir, t, null);
                LOG.info("Extract {} thread {}: no checkpoint, beginning at the earliest available log", cfg.getGroup(), t);
            }
            if (start.containsKey(t)) reader.startedAtScn(start.get(t).scn().value());
            if (!start.containsKey(t) && reader.position() != null) {
                start.put(t, new CheckpointPoint(reader.position(), Scn.ZERO, 0, reader.currentFile()));
            }
            readers.add(reader);
            runtime().process().positioned(t, start.get(t), rr != null && rr.recovery() != null);
        }
        return new ThreadMerger(readers, start);
    }
}
