package io.redotrail.trail.camel;

import io.redotrail.camel.StageFailure;
import io.redotrail.checkpoint.BrPoints;
import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Heartbeat;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.GroupStats;
import io.redotrail.report.RemoteStatusFile;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailSink;
import io.redotrail.trail.TrailWriter;
import io.redotrail.trail.remote.RemoteTrailSink;
import io.redotrail.trail.remote.RemoteTrails;
import io.redotrail.trail.remote.TcpErrors;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Appends the body ({@code List<Transaction>} in commit order) to the trail and forces it, then records the
 * exchange's read checkpoint ({@link TrailConstants#READ_CHECKPOINT}) together with the write position in
 * {@code dirchk/<GROUP>.cpe}. Transactions already in the trail (CSN below the trail's last CSN, or equal with a
 * known XID) are skipped and counted: after a crash the extract re-sends from its older read checkpoint, and this
 * skip makes the trail exactly-once. The checkpoint is written at most every {@code checkpointSecs}, and always
 * at rollover and stop; since it is written after the force, it never points past durable trail data.
 * Exchanges are processed one at a time (synchronized): one writer per trail, and the group's lock
 * ({@link GroupLock}) is held from start to stop, so no second process writes it. A start that cannot open the
 * trail (recovery refusing to discard durable data, a corrupt checkpoint file) is reported as the group's abend.
 * <p>
 * With {@code overlapForce} (the extract's route) a local trail's fsync runs on a thread of the CamelContext,
 * {@code TrailForce[GROUP]}, while the route thread goes on to the next exchange ({@link TrailWriter#forceOn}). The
 * confirmed CSN ({@link GroupRuntime#trailConfirmed}) and the checkpoint are then published by {@link #durable} on
 * that thread, once the force returned; the checkpoint ({@link ProducerCheckpoint}) is touched only there and, after
 * {@link TrailSink#awaitDurable}, at stop: one force in flight, so never two threads.
 */
public class TrailProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(TrailProducer.class);

    private final TrailEndpoint endpoint;
    private final TrailConfiguration config;
    private TrailSink writer;
    private final ProducerCheckpoint checkpoint;
    private long skippedTotal;
    /** A transaction was written since the start: what the trail holds from then on is this run's, in order. */
    private boolean wroteThisRun;
    private boolean warnedNoReadCheckpoint;
    private boolean locked;
    /** The sink answered once (a remote one connected): its position and last CSN are known. */
    private boolean sinkOpened;
    private final GroupStats.Tally tally = new GroupStats.Tally();
    /** STATS counts each change as the writer writes its record (once, without a second pass over spilled ones). */
    private final java.util.function.Consumer<RowChange> count = c -> tally.add(c.table(), c.op());
    private long lastSourceMillis;
    private java.util.concurrent.ExecutorService forceExecutor;

    TrailProducer(TrailEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.checkpoint = new ProducerCheckpoint(endpoint);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // the group's lock before the trail is touched: one writer per trail, across processes too
        runtime().startLocked("EXTRACT", this::openWriter);
        locked = true;
    }

    private void openWriter() {
        checkpoint.open();
        TrailPosition durable = checkpoint.durablePosition();
        RowRecords.Encoder encoder = config.encoder(endpoint.home());
        if (!config.remote()) RemoteStatusFile.delete(endpoint.home(), config.getGroup());
        sinkOpened = false;
        wroteThisRun = false;
        warnedNoReadCheckpoint = false;
        // RMTHOST: the sink is made, not connected: the route starts (RUNNING) while the remote host may be down
        writer = config.remote() ? openRemote(durable, encoder)
                : TrailWriter.open(endpoint.trail(), config.getGroup(), config.effectiveMaxFileBytes(), durable, encoder);
        if (writer instanceof TrailWriter local && config.isOverlapForce()) {
            forceExecutor = endpoint.getCamelContext().getExecutorServiceManager()
                    .newSingleThreadExecutor(this, "TrailForce[" + config.getGroup() + "]");
            local.forceOn(forceExecutor, () -> runtime().trailFailed()); // the aggregator stops at once
        }
        runtime().stats().output(HomePaths.store(endpoint.home(), endpoint.trail().toString()));
        runtime().reportCount(config.getReportCount());
        // a remote trail is known once its collector answered: at the first exchange, on the reading thread (opened())
        if (!config.remote()) opened();
    }

    /**
     * The trail answered (a local one at start, a remote one at its first connection): how it was opened goes to the
     * report, and its last CSN is what the group's trail state starts from.
     */
    private void opened() {
        sinkOpened = true;
        boolean noFile = writer.newTrail();
        TrailPosition opened = writer.recoveredAt() != null ? writer.recoveredAt() : writer.position();
        String file = config.remote() ? TrailFormat.fileName(RemoteTrails.name(endpoint.trail()), opened.seqno())
                : HomePaths.store(endpoint.home(), TrailFormat.fileOf(endpoint.trail(), opened.seqno()).toString());
        // a trail that had no file yet: GoldenGate says so (seed 000), the writer has only written the header
        runtime().process().trailOpened(file, noFile ? 0 : opened.rba(), writer.recoveredAt() != null, noFile);
        runtime().trailStarted(writer.lastCsn());
        LOG.info("{} open for group {} at {}, last CSN {}", writer.describe(), config.getGroup(), writer.position(),
                writer.lastCsn().display());
    }

    /**
     * RMTHOST: the trail is written by a collector on the target host; the remote host's state goes to the report,
     * ggserr.log and what SEND ... STATUS and INFO show.
     */
    private TrailSink openRemote(TrailPosition durable, RowRecords.Encoder encoder) {
        RemoteTrailSink.Target target = new RemoteTrailSink.Target(config.getRmtHost(), config.getMgrPort(),
                RemoteTrails.name(endpoint.trail()), config.getGroup().toUpperCase(java.util.Locale.ROOT),
                config.effectiveMaxFileBytes(), config.getRmtTimeout());
        CompressionOptions compression = config.compressionOptions();
        CompressionCounters counters = new CompressionCounters();
        runtime().stats().link(compression.toString(), counters);
        LinkOptions options = LinkOptions.DEFAULT.withCompression(compression, counters).withTls(tls());
        RemoteTrailSink.Listener listener = new RemoteTrailSink.Listener() {
            @Override
            public void event(String severity, String id, String text) {
                switch (severity) {
                    case "ERROR" -> runtime().report().error(id, text);
                    case "WARNING" -> runtime().report().warning(id, text);
                    default -> runtime().report().info(id, text);
                }
                io.redotrail.report.GroupProcess.event(endpoint.home(), "EXTRACT", config.getGroup().toUpperCase(java.util.Locale.ROOT),
                        severity, id, text);
            }

            private String lastState = "";

            @Override
            public boolean stopping() {
                return endpoint.getCamelContext().isStopping() || endpoint.getCamelContext().isStopped() || isStoppingOrStopped();
            }

            @Override
            public void status(String text) {
                runtime().waiting(text);
                // the file for INFO of a pump that does not run: at each change of state, not at each acknowledgement
                String state = text.replaceFirst("^.*?: ", "").split("[ :]", 2)[0];
                if (!state.equals(lastState)) {
                    lastState = state;
                    try {
                        RemoteStatusFile.write(endpoint.home(), config.getGroup(), text);
                    } catch (RuntimeException e) { // status bookkeeping never stops the route
                        LOG.warn("Group {}: cannot write {}: {}", config.getGroup(), RemoteStatusFile.pathOf(endpoint.home(),
                                config.getGroup()), e.toString());
                    }
                }
            }
        };
        return RemoteTrailSink.open(target, durable, options, TcpErrors.parse(config.getTcpErrors()), listener, encoder);
    }

    /** RMTHOST ..., TLS: the TlsLink the group process bound (it reads the stores' passwords); null without TLS. */
    private TlsLink tls() {
        if (!config.isTls()) return null;
        TlsLink link = endpoint.getCamelContext().getRegistry().lookupByNameAndType(TrailConfiguration.TLS_BEAN, TlsLink.class);
        if (link == null) {
            throw new IllegalStateException("RTR-01611 tls=true but no TlsLink is bound as " + TrailConfiguration.TLS_BEAN
                    + ": TLS needs the group started by its Manager (bin/redotrail process GROUP), which builds it from"
                    + " RMTHOST ..., TLSTRUSTALIAS / TLSKEYALIAS and the credential store");
        }
        return link;
    }

    @Override
    public synchronized void process(Exchange exchange) {
        StageFailure.run(exchange, true, this::processBatch);
    }

    private void processBatch(Exchange exchange) {
        if (!sinkOpened) {
            try {
                writer.connect(); // a remote trail: connects with TCPERRS's retries, the group RUNNING meanwhile
            } catch (RuntimeException e) {
                runtime().trailFailed();
                throw e;
            }
            opened();
        }
        List<Transaction> body = transactions(exchange);
        List<Transaction> toWrite = new ArrayList<>(body.size());
        int skipped = 0;
        long rows = 0;
        Transaction previous = null;
        for (Transaction tx : body) {
            if (previous != null && tx.csn().compareTo(previous.csn()) < 0) throw outOfOrder(tx, previous.csn(), "the batch's previous one");
            previous = tx;
            if (writer.alreadyWritten(tx)) {
                // a re-send after a restart comes before anything new; one after a write of this run is out of order
                if (wroteThisRun) throw outOfOrder(tx, writer.lastCsn(), "the trail's last one, written in this run");
                skipped++;
            } else {
                toWrite.add(tx);
                rows += tx.size();
            }
        }
        if (!toWrite.isEmpty()) wroteThisRun = true;
        if (skipped > 0) {
            skippedTotal += skipped;
            LOG.info("Group {}: skipped {} transaction(s) already in trail {} (CSN <= {}), {} skipped since start",
                    config.getGroup(), skipped, endpoint.trail(), writer.lastCsn().display(), skippedTotal);
        }
        long seqnoBefore = writer.seqno();
        // heartbeat records get this hop's name and time as they pass: the Extract reads redo, a pump a trail
        Object rcHeader = exchange.getIn().getHeader(TrailConstants.READ_CHECKPOINT);
        toWrite = Heartbeat.stamp(toWrite, rcHeader instanceof TrailReadCheckpoint ? Heartbeat.Hop.ROUTING : Heartbeat.Hop.EXTRACT,
                config.getGroup(), System.currentTimeMillis());
        long maxCsn = 0;
        for (Transaction tx : body) maxCsn = Math.max(maxCsn, tx.csn().value());
        Scn batchCsn = Scn.of(maxCsn);
        if (rcHeader == null && !toWrite.isEmpty() && !warnedNoReadCheckpoint) {
            warnedNoReadCheckpoint = true;
            LOG.warn("Group {}: route {} sent transactions without the {} header: they are written to {}, but {} records no read"
                    + " position for them, so a restart reads its source again from the last one it has (a step removed the"
                    + " header?)", config.getGroup(), exchange.getFromRouteId(), TrailConstants.READ_CHECKPOINT, endpoint.trail(),
                    checkpoint.path());
        }
        Object reads = rcHeader == null ? null : ProducerCheckpoint.readsOf(rcHeader); // checked here, on the route thread
        BrPoints br = exchange.getIn().getHeader(TrailConstants.BR_CHECKPOINT) instanceof BrPoints b ? b : null;
        try {
            writer.append(toWrite, count, (position, lastCsn) -> durable(batchCsn, reads, br, seqnoBefore, position, lastCsn));
        } catch (RuntimeException e) {
            tally.clear();
            runtime().trailFailed();
            throw e;
        }
        exchange.getIn().setHeader(TrailConstants.ROW_COUNT, rows);
        counted(System.currentTimeMillis(), reads, !Boolean.FALSE.equals(exchange.getIn().getHeader(TrailConstants.TRAIL_CAUGHT_UP)));
    }

    /**
     * The body as the route hands it: a {@code List<Transaction>} in commit order (empty for an idle exchange).
     * Anything else, null included, is refused before anything is written (the group abends, its checkpoint before
     * the batch): a step that changed the body (a split, a marshal, a bean returning something else or nothing)
     * would otherwise leave the batch out of the trail while the read checkpoint moved past it.
     */
    private List<Transaction> transactions(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException("RTR-01622 " + describe(exchange) + " expected a List<Transaction> body, got "
                    + (body == null ? "null" : body.getClass().getName()) + ": a step before it changed the body; nothing of"
                    + " the batch is written");
        }
        for (Object o : list) {
            if (!(o instanceof Transaction)) {
                throw new IllegalArgumentException("RTR-01622 " + describe(exchange) + " expected a List<Transaction> body, got a list"
                        + " holding " + (o == null ? "null" : o.getClass().getName()) + ": a step before it changed the body;"
                        + " nothing of the batch is written");
            }
        }
        @SuppressWarnings("unchecked")
        List<Transaction> txs = (List<Transaction>) list;
        return txs;
    }

    private String describe(Exchange exchange) {
        return "trail producer of group " + config.getGroup() + " (" + endpoint.trail() + ", route " + exchange.getFromRouteId() + ")";
    }

    /**
     * A transaction below a CSN already passed: the trail is in commit order and its readers rely on it (a Replicat
     * would apply an update before its insert); a step that reorders a batch, or sends a transaction twice, is
     * refused before anything of the batch is written.
     */
    private IllegalStateException outOfOrder(Transaction tx, Scn after, String what) {
        return new IllegalStateException("RTR-01623 trail producer of group " + config.getGroup() + " (" + endpoint.trail()
                + "): transaction " + tx.xid() + " with CSN " + tx.csn().display() + " comes after CSN " + after.display() + " ("
                + what + "): the trail must be written in commit order, once; a step before it reordered or repeated"
                + " transactions. Nothing of the batch is written");
    }

    /**
     * The batch is durable in the trail up to {@code position}: confirmed to the aggregator, and its read checkpoint
     * recorded ({@link ProducerCheckpoint#durable}). On the route thread, or on the force thread with overlapForce,
     * in exchange order.
     */
    private void durable(Scn batchCsn, Object reads, BrPoints br, long seqnoBefore, TrailPosition position, Scn lastCsn) {
        runtime().trailConfirmed(batchCsn);
        checkpoint.durable(reads, br, position.seqno() != seqnoBefore, position, lastCsn, runtime().stats());
    }

    /**
     * STATS of what was written (per source table, tallied by {@link #count}), and the lag: a newer last record read (its source time, from
     * the read checkpoint) was processed now; {@code caughtUp}: the reader reached the end of its source.
     */
    private void counted(long now, Object reads, boolean caughtUp) {
        GroupStats stats = runtime().stats();
        long source = reads == null ? 0 : CheckpointLag.lastRecordMillis(ProducerCheckpoint.view(config.getGroup(), reads));
        if (source != lastSourceMillis) {
            stats.processed(source, now);
            lastSourceMillis = source;
        }
        stats.atEof(caughtUp);
        runtime().batchDone(tally, null);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (writer != null) {
            try {
                // the batch being forced confirms and checkpoints before the producer is gone and the last checkpoint
                writer.awaitDurable();
            } catch (RuntimeException e) {
                // the last batch is not durable: the checkpoint stays before it and the group abends (OGG-01668),
                // as a failed force on the route thread would have; the next start recovers the trail
                LOG.warn("Group {}: {}", config.getGroup(), e.getMessage());
                runtime().abend(e);
            }
        }
        runtime().trailStopped();
        if (writer != null) {
            try {
                if (writer.failed()) {
                    LOG.warn("Group {}: trail write failed, checkpoint {} left as it was", config.getGroup(), checkpoint.path());
                } else if (!sinkOpened) {
                    LOG.info("Group {}: {} never connected, checkpoint {} left as it was", config.getGroup(), writer.describe(),
                            checkpoint.path());
                } else if (checkpoint.known()) {
                    checkpoint.stopped(writer.position(), writer.lastCsn(), runtime().stats());
                } else {
                    LOG.info("Group {}: no read checkpoint received, {} not written at stop", config.getGroup(), checkpoint.path());
                }
            } finally {
                try {
                    writer.close();
                } finally {
                    writer = null;
                    if (forceExecutor != null) endpoint.getCamelContext().getExecutorServiceManager().shutdown(forceExecutor);
                    forceExecutor = null;
                }
            }
        }
        if (locked) {
            locked = false;
            GroupLock.release(endpoint.home(), config.getGroup());
        }
        super.doStop();
    }

    // kept once found: the context's registry is emptied while the context stops
    private volatile GroupRuntime runtime;

    /** The group's runtime state in this producer's CamelContext: the aggregator reads what the trail confirmed. */
    private GroupRuntime runtime() {
        if (runtime == null) runtime = GroupRuntimes.of(endpoint.getCamelContext(), endpoint.home(), config.getGroup());
        return runtime;
    }

    /** The open trail (null while stopped): for tests and statistics. */
    public TrailSink writer() {
        return writer;
    }

    public long skippedTotal() {
        return skippedTotal;
    }
}
