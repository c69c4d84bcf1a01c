package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.core.Headers;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads whole transactions from the trail on its own thread and hands each batch (body
 * {@code List<Transaction>}, up to {@code maxBatchOps} row changes) to the route synchronously, so the route's
 * speed limits reading. Header {@link Headers#READ_CHECKPOINT} is a {@link TrailReadCheckpoint} whose current
 * position is the end of the batch's last transaction; when idle an empty batch is sent about once a second so
 * downstream can checkpoint. Header {@link Headers#TRAIL_CAUGHT_UP} says whether the batch reached the end of what
 * the writer had completed (false: another batch is already waiting). A transaction of more than {@code spillRows}
 * row changes is spilled to {@code dirtmp/<GROUP>/} as it is read and handed on as a streamed list. Start position: the {@code positionStore} bean, else the group's checkpoint file
 * ({@code dirchk/<GROUP>.cpe}, then {@code .cpr}), else RBA 0 of the first existing file. Any failure (corrupt
 * trail, exception from the route) abends the group: ERROR OGG-01668, {@link GroupRuntime#abend}, reading stops.
 */
public class TrailConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(TrailConsumer.class);
    private static final long IDLE_EXCHANGE_MILLIS = 1000;

    private final TrailEndpoint endpoint;
    private final TrailConfiguration config;
    private ExecutorService executor;
    private volatile boolean stopping;
    private volatile TrailPosition position;
    private TrailPosition startup;
    private long startupMillis;

    TrailConsumer(TrailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        runtime().started(config.getPositionStore() != null ? "REPLICAT" : "EXTRACT");
        try {
            startup = startPosition();
        } catch (RuntimeException e) {
            // a start-up refusal (corrupt checkpoint file, unreachable checkpoint table): the group abended
            abend(e);
            runtime().stopped();
            throw e;
        }
        startupMillis = System.currentTimeMillis();
        position = startup;
        stopping = false;
        LOG.info("Group {} reading trail {} from {}", config.getGroup(), endpoint.trail(), startup);
        // a transaction larger than spillRows is kept in dirtmp/<GROUP>/ while the route holds it
        java.nio.file.Path spillDir = endpoint.home().resolve("dirtmp").resolve(config.getGroup().toUpperCase(java.util.Locale.ROOT));
        TrailReader.clearSpill(spillDir);
        TrailReader reader = new TrailReader(endpoint.trail(), startup, config.getSpillRows() > 0 ? spillDir : null,
                config.getSpillRows());
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "TrailConsumer[" + config.getGroup() + "]");
        executor.submit(() -> run(reader));
    }

    private TrailPosition startPosition() {
        if (config.getPositionStore() != null) {
            Optional<TrailPosition> p = config.getPositionStore().startPosition();
            if (p.isPresent()) return p.get();
        }
        for (var file : List.of(CheckpointFile.extractFile(endpoint.home(), config.getGroup()),
                CheckpointFile.replicatFile(endpoint.home(), config.getGroup()))) {
            Optional<ProcessCheckpoint> cp = new CheckpointFile(file).read();
            if (cp.isPresent() && cp.get().trailRead() != null) return cp.get().trailRead().current();
        }
        long[] seqnos = TrailFormat.seqnos(endpoint.trail());
        return new TrailPosition(seqnos.length == 0 ? 0 : seqnos[0], 0);
    }

    private void run(TrailReader reader) {
        long lastExchange = 0;
        long lastCommitMillis = startupMillis;
        boolean caughtUp = true;
        try (reader) {
            while (isRunAllowed() && !stopping) {
                List<Transaction> batch = reader.poll(config.getMaxBatchOps());
                long now = System.currentTimeMillis();
                // after a batch that said "more is waiting", tell at once that there was not (a group may be open)
                if (batch.isEmpty() && caughtUp && now - lastExchange < IDLE_EXCHANGE_MILLIS) {
                    Thread.sleep(config.getIdleDelay());
                    continue;
                }
                TrailPosition current;
                long rows = 0;
                if (batch.isEmpty()) {
                    current = reader.position();
                } else {
                    Transaction last = batch.get(batch.size() - 1);
                    current = last.trailEnd();
                    lastCommitMillis = last.commitTimestampMillis();
                    for (Transaction t : batch) rows += t.size();
                }
                Exchange exchange = createExchange(false);
                try {
                    exchange.getIn().setBody(batch);
                    exchange.getIn().setHeader(Headers.READ_CHECKPOINT, new TrailReadCheckpoint(endpoint.getPath(),
                            startup, startupMillis, current, lastCommitMillis));
                    exchange.getIn().setHeader(Headers.ROW_COUNT, rows);
                    caughtUp = batch.isEmpty() || reader.atEnd();
                    exchange.getIn().setHeader(Headers.TRAIL_CAUGHT_UP, caughtUp);
                    getProcessor().process(exchange);
                    if (exchange.getException() != null) throw exchange.getException();
                } finally {
                    releaseExchange(exchange, false);
                }
                position = current;
                lastExchange = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!stopping) abend(e);
        } catch (Throwable e) {
            abend(e);
        }
    }

    private void abend(Throwable e) {
        LOG.error("OGG-01668 PROCESS ABENDING: group {} reading trail {} after {}: {}", config.getGroup(),
                endpoint.trail(), position, e.toString(), e);
        runtime().abend(e);
    }

    // kept once found: the context's registry is emptied while the context stops
    private volatile GroupRuntime runtime;

    /** The group's runtime state in this consumer's CamelContext. */
    private GroupRuntime runtime() {
        if (runtime == null) runtime = GroupRuntimes.of(endpoint.getCamelContext(), endpoint.home(), config.getGroup());
        return runtime;
    }

    /** End of the last transaction handed to the route (or the start position). */
    public TrailPosition position() {
        return position;
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (executor != null) {
            executor.shutdown();
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Group {}: trail consumer did not stop within 30 s, interrupting", config.getGroup());
                executor.shutdownNow();
            }
            executor = null;
        }
        runtime().stopped();
        super.doStop();
    }
}
