package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * What {@link TrailWriter#open} finds in a trail and how the writer goes on (docs/trail-format.md): the last file
 * is scanned; an incomplete tail is cut back to the end of the last complete transaction (OGG-01056) and the writer
 * then rolls over, so it never writes again into bytes a reader may have read. Refuses, naming file and RBA, what
 * would discard data the write checkpoint ({@code durable}) says is durable. Cuts the tail itself; opening, writing
 * a header and rolling over are the writer's, as the {@link Plan} says.
 * <p>
 * Thread-safety: stateless; one call per writer opening.
 */
final class TrailRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TrailRecovery.class);

    private TrailRecovery() {
    }

    /** How the writer opens the trail. */
    enum Open {
        /** A new file {@code seqno}. */
        CREATE,
        /** File {@code seqno} holds only a torn header: cut it to 0 bytes and write the header again. */
        REWRITE_HEADER,
        /** File {@code seqno} is complete up to {@code size}: append there. */
        APPEND
    }

    /**
     * {@code rolloverTo} >= 0: roll over to that seqno once opened (ETROLLOVER past lost files). {@code lastCsn},
     * {@code lastXids}: the last complete transaction's; {@code lastWriter}: the group in the last complete file's
     * header, null for a new trail; {@code recoveredAt}: where a tail was cut, or null.
     */
    record Plan(Open open, long seqno, long size, long headerEnd, long rolloverTo, Scn lastCsn, Set<Xid> lastXids,
                String lastWriter, TrailPosition recoveredAt, boolean newTrail) {
    }

    static Plan plan(Path trail, TrailPosition durable) throws IOException {
        Files.createDirectories(trail.getParent());
        long[] seqnos = TrailFormat.seqnos(trail);
        // ALTER EXTRACT ... ETROLLOVER leaves the write checkpoint at RBA 0 of a file not yet created
        boolean rolledOver = durable != null && durable.rba() == 0
                && durable.seqno() > (seqnos.length == 0 ? -1 : seqnos[seqnos.length - 1]);
        long rollTo = rolledOver ? durable.seqno() : -1;
        if (seqnos.length == 0) {
            if (durable != null && durable.compareTo(TrailPosition.START) > 0 && !rolledOver) {
                throw new CorruptFileException(TrailFormat.fileOf(trail, durable.seqno()), durable.rba(),
                        "trail has no files but the write checkpoint is at " + durable);
            }
            return new Plan(Open.CREATE, rolledOver ? durable.seqno() : 0, 0, 0, -1, Scn.ZERO, Set.of(), null, null, true);
        }
        long last = seqnos[seqnos.length - 1];
        Path file = TrailFormat.fileOf(trail, last);
        if (durable != null && durable.seqno() > last && !rolledOver) {
            throw new CorruptFileException(TrailFormat.fileOf(trail, durable.seqno()), durable.rba(),
                    "write checkpoint is at " + durable + " but the last trail file is " + file);
        }
        TrailScan scan = TrailScan.scan(file, last);
        TrailScan complete = TrailScan.lastComplete(trail, last, scan);
        String lastWriter = complete.header() != null ? complete.header().group() : null;
        Scn lastCsn = Scn.of(complete.lastCsn());
        Set<Xid> lastXids = Set.copyOf(complete.lastXids());
        if (scan.header() == null) {
            if (durable != null && durable.seqno() == last && durable.rba() > 0) {
                // transactions were durable behind this header: it was damaged, not torn while being created
                throw new CorruptFileException(file, 0, "trail seqno " + last + " RBA 0: the file header is invalid but the "
                        + "write checkpoint is at " + durable + "; refusing to discard durable data");
            }
            // crash while creating the file: nothing but a torn header, no reader can have used it
            LOG.warn("OGG-01056 Recovery initialization completed for target file {}, at RBA 0 (torn file header of {} bytes rewritten)",
                    file, scan.size());
            return new Plan(Open.REWRITE_HEADER, last, 0, 0, rollTo, lastCsn, lastXids, lastWriter, null, false);
        }
        if (durable != null && durable.seqno() == last && durable.rba() > scan.boundary()) {
            throw new CorruptFileException(file, scan.boundary(), "recovery would truncate below the write checkpoint "
                    + durable + " (" + scan.tailReason() + "); refusing to discard durable data");
        }
        if (scan.endsWithFileEnd()) {
            LOG.info("OGG-01052 No recovery is required for target file {}, at RBA {} (file complete, opening seqno {})",
                    file, scan.size(), last + 1);
            return new Plan(Open.CREATE, rolledOver ? durable.seqno() : last + 1, 0, 0, -1, lastCsn, lastXids, lastWriter, null, false);
        }
        if (scan.boundary() < scan.size()) {
            try (FileChannel t = FileChannel.open(file, StandardOpenOption.WRITE)) {
                t.truncate(scan.boundary());
                t.force(true);
            }
            long next = rolledOver ? durable.seqno() : last + 1;
            LOG.warn("OGG-01056 Recovery initialization completed for target file {}, at RBA {} ({} bytes of incomplete "
                    + "tail discarded: {}); rolling over to seqno {}", file, scan.boundary(),
                    scan.size() - scan.boundary(), scan.tailReason(), next);
            return new Plan(Open.CREATE, next, 0, 0, -1, lastCsn, lastXids, lastWriter, new TrailPosition(last, scan.boundary()), false);
        }
        LOG.info("OGG-01052 No recovery is required for target file {}, at RBA {}", file, scan.size());
        return new Plan(Open.APPEND, last, scan.size(), scan.headerEnd(), rollTo, lastCsn, lastXids, lastWriter, null, false);
    }
}
