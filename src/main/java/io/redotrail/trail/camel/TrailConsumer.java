package io.redotrail.trail.camel;

import io.redotrail.camel.GroupConsumer;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads whole transactions from the trail on its own thread ({@link GroupConsumer}) and hands each batch (body
 * {@code List<Transaction>}, up to {@code maxBatchOps} row changes) to the route synchronously, so the route's
 * speed limits reading. Header {@link TrailConstants#READ_CHECKPOINT} is a {@link TrailReadCheckpoint} whose
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

    private final TrailEndpoint endpoint;
    private final TrailConfiguration config;
    private final ConsumerCheckpoint checkpoint;
    private TrailReader reader;
    private volatile TrailPosition position;
    private TrailPosition startup;
    private long startupMillis;
    private long reportedMissing = -1;

    TrailConsumer(TrailEndpoint endpoint, Processor processor) {
        super(endpoint, processor, endpoint.home(), endpoint.getConfiguration().getGroup(),
                endpoint.getConfiguration().getRole().name());
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.checkpoint = config.getRole() == TrailRole.REPLICAT && config.getPositionStore() == null
                ? new ConsumerCheckpoint(endpoint.home(), config.getGroup(), endpoint.getPath()) : null;
    }

    @Override
    protected void open() {
        // a corrupt checkpoint file or an unreachable checkpoint table refuses the start
        startup = startPosition();
        startupMillis = System.currentTimeMillis();
        position = startup;
        if (checkpoint != null) checkpoint.started(startup, startupMillis);
        LOG.info("Group {} ({}) reading trail {} from {}", config.getGroup(), config.getRole(), endpoint.trail(), startup);
        // a transaction larger than spillRows is kept in dirtmp/<GROUP>/ while the route holds it
        Path spillDir = endpoint.home().resolve("dirtmp").resolve(config.getGroup().toUpperCase(Locale.ROOT));
        TrailReader.clearSpill(spillDir);
        reader = new TrailReader(endpoint.trail(), startup, config.getSpillRows() > 0 ? spillDir : null, config.getSpillRows(),
                config.opener(endpoint.home()));
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
        return new TrailPosition(seqnos.length == 0 ? 0 : seqnos[0], 0);
    }

    @Override
    protected void consume() throws Exception {
        long lastExchange = 0;
        long lastCommitMillis = startupMillis;
        boolean caughtUp = true;
        while (isPolling()) {
            List<Transaction> batch = reader.poll(config.getMaxBatchOps());
            missingStartFile();
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
            TrailReadCheckpoint read = new TrailReadCheckpoint(endpoint.getPath(), startup, startupMillis, current,
                    lastCommitMillis);
            long rowCount = rows;
            caughtUp = batch.isEmpty() || reader.atEnd();
            boolean reachedEnd = caughtUp;
            deliver(in -> {
                in.setBody(batch);
                in.setHeader(TrailConstants.READ_CHECKPOINT, read);
                in.setHeader(TrailConstants.ROW_COUNT, rowCount);
                in.setHeader(TrailConstants.TRAIL_CAUGHT_UP, reachedEnd);
            });
            position = current;
            if (checkpoint != null) checkpoint.completed(current, lastCommitMillis);
            lastExchange = now;
        }
    }

    /**
     * The start position's file does not exist but later files do (seed 000: a pump added with EXTTRAILSOURCE
     * starts at seqno 0 after the early files were purged). The reader waits, as GoldenGate's does; beyond
     * GoldenGate, the report says so once (RTR-01003, redotrail's own) and STATUS / STATS show it, naming the
     * missing file, the first existing seqno and the ALTER that repositions there if the operator accepts it.
     */
    private void missingStartFile() {
        long first = reader.missingStartFile();
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

    @Override
    protected void release() {
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
