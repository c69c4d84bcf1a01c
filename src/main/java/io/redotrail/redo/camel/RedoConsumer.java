package io.redotrail.redo.camel;

import io.redotrail.camel.GroupConsumer;
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
 * Reads redo on its own thread ({@link GroupConsumer}) and hands each {@link RedoBatch} to the route
 * synchronously: the next batch is read only after the previous exchange finished, so nothing is read ahead of
 * what downstream absorbed (backpressure). Starts each redo thread at the Recovery checkpoint of
 * {@code home/dirchk/<GROUP>.cpe}, else at the earliest log (or the end, with begin=now). Any failure, reading
 * or processing, abends the group (OGG-01668) and stops reading: nothing after a failure is processed. A missing
 * redo log (OGG-00446) names the read checkpoint that needs it (Recovery, Current or Startup) with thread,
 * sequence and RBA. With several threads, records are merged by SCN using each thread's heartbeat watermark
 * ({@link ThreadMerger}).
 */
public class RedoConsumer extends GroupConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedoConsumer.class);

    private final RedoConfiguration cfg;
    private ThreadMerger merger;

    public RedoConsumer(RedoEndpoint endpoint, Processor processor) {
        super(endpoint, processor, Path.of(endpoint.getConfiguration().getHome()), endpoint.getConfiguration().getGroup(),
                "EXTRACT");
        this.cfg = endpoint.getConfiguration();
    }

    @Override
    protected void consume() throws Exception {
        // opened on the consumer thread: a missing log at the checkpoint abends the group, it does not fail the start
        merger = openMerger();
        long idleBatchEvery = cfg.getIdleDelay() * 50;
        long lastSent = System.currentTimeMillis();
        while (isPolling()) {
            List<RedoRecord> records = merger.next(cfg.getMaxBatchRecords());
            long now = System.currentTimeMillis();
            if (!records.isEmpty() || now - lastSent >= idleBatchEvery) {
                RedoBatch batch = new RedoBatch(records, merger.currentPoints());
                long changes = 0;
                for (RedoRecord r : records) if (r.op().isRowChange()) changes++;
                long rows = changes;
                boolean caughtUp = records.size() < cfg.getMaxBatchRecords();
                deliver(in -> {
                    in.setBody(batch);
                    in.setHeader(RedoConstants.ROW_COUNT, rows);
                    in.setHeader(RedoConstants.CAUGHT_UP, caughtUp);
                });
                lastSent = now;
            }
            if (records.isEmpty()) Thread.sleep(cfg.getIdleDelay());
        }
    }

    @Override
    protected void release() {
        if (merger != null) merger.close();
        merger = null;
    }

    @Override
    protected String where() {
        return "reading redo of " + ((RedoEndpoint) getEndpoint()).getDatabase()
                + (merger == null ? " (opening the logs at the checkpoint)" : " at " + merger.currentPoints());
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
            } else if ("now".equals(cfg.getBegin())) {
                reader = RedoLogReader.atEnd(redoDir, archDir, t);
                LOG.info("Extract {} thread {}: no checkpoint, beginning now at {}", cfg.getGroup(), t, reader.position());
            } else {
                reader = new RedoLogReader(redoDir, archDir, t, null);
                LOG.info("Extract {} thread {}: no checkpoint, beginning at the earliest available log", cfg.getGroup(), t);
            }
            if (!start.containsKey(t) && reader.position() != null) {
                start.put(t, new CheckpointPoint(reader.position(), Scn.ZERO, 0, reader.currentFile()));
            }
            readers.add(reader);
            runtime().process().positioned(t, start.get(t), rr != null && rr.recovery() != null);
        }
        return new ThreadMerger(readers, start);
    }
}
