package io.redotrail.redo.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.RedoReadCheckpoint;
import io.redotrail.core.Headers;
import io.redotrail.core.Scn;
import io.redotrail.redo.RedoBatch;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.redo.RedoRecord;
import io.redotrail.redo.ThreadMerger;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

/**
 * Reads redo on its own single thread and hands each {@link RedoBatch} to the route synchronously: the next
 * batch is read only after the previous exchange finished, so nothing is read ahead of what downstream
 * absorbed (backpressure). Starts each redo thread at the Recovery checkpoint of
 * {@code home/dirchk/<GROUP>.cpe}, else at the earliest log (or the end, with begin=now). Any failure, reading
 * or processing, abends the group (OGG-01668) and stops reading: nothing after a failure is processed. A missing
 * redo log (OGG-00446) names the read checkpoint that needs it (Recovery, Current or Startup) with thread,
 * sequence and RBA. With several threads, records are merged by SCN using each thread's heartbeat watermark
 * ({@link ThreadMerger}).
 */
public class RedoConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedoConsumer.class);

    private final RedoConfiguration cfg;
    private volatile boolean running;
    private ExecutorService executor;

    public RedoConsumer(RedoEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.cfg = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        runtime().started("EXTRACT");
        running = true;
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "redo-" + cfg.getGroup());
        executor.submit(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        running = false; // the loop finishes the exchange in flight, then exits
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        runtime().stopped();
        super.doStop();
    }

    private void run() {
        ThreadMerger merger = null;
        try {
            merger = openMerger();
            long idleBatchEvery = cfg.getIdleDelay() * 50;
            long lastSent = System.currentTimeMillis();
            while (running && isRunAllowed()) {
                List<RedoRecord> records = merger.next(cfg.getMaxBatchRecords());
                long now = System.currentTimeMillis();
                if (!records.isEmpty() || now - lastSent >= idleBatchEvery) {
                    send(new RedoBatch(records, merger.currentPoints()));
                    lastSent = now;
                }
                if (records.isEmpty()) Thread.sleep(cfg.getIdleDelay());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("Extract {}: redo reader interrupted, stopping", cfg.getGroup());
        } catch (Throwable e) {
            LOG.error("OGG-01668 PROCESS ABENDING: extract {}: {}", cfg.getGroup(), e.getMessage(), e);
            runtime().abend(e);
        } finally {
            running = false;
            if (merger != null) merger.close();
        }
    }

    private void send(RedoBatch batch) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(batch);
            exchange.getIn().setHeader(Headers.ROW_COUNT, batch.records().stream().filter(r -> r.op().isRowChange()).count());
            getProcessor().process(exchange);
            if (exchange.getException() != null) throw exchange.getException();
        } finally {
            releaseExchange(exchange, false);
        }
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

    // kept once found: the context's registry is emptied while the context stops
    private volatile GroupRuntime runtime;

    /** The group's runtime state in this consumer's CamelContext. */
    private GroupRuntime runtime() {
        if (runtime == null) runtime = GroupRuntimes.of(getEndpoint().getCamelContext(), Path.of(cfg.getHome()), cfg.getGroup());
        return runtime;
    }

    public boolean isReading() {
        return running;
    }
}
