package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Xid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Result of scanning one trail file for writer recovery: the header, the end of the last complete transaction
 * ({@code boundary}), the CSN and XIDs of the last complete transaction in the trail up to this file, and why
 * the scan stopped before the end of the file if it did. A record with a valid CRC but impossible content
 * (unknown type, transaction indicators out of order) is corruption and throws; an invalid frame (short,
 * zero length, CRC mismatch) is taken as the torn tail of an interrupted write.
 */
record TrailScan(TrailFormat.FileHeader header, long headerEnd, long size, long boundary, long lastCsn,
                 Set<Xid> lastXids, boolean endsWithFileEnd, String tailReason) {

    /** A torn header is only plausible for a file that holds nothing else. */
    private static final long MAX_TORN_HEADER = 4096;

    static TrailScan scan(Path file, long seqno) {
        return scan(file, seqno, b -> { });
    }

    /**
     * The scan of the file {@code last} of {@code trail}, or for a torn header (nothing but a header being
     * created) of the file before it, whose last complete transaction is then the trail's.
     */
    static TrailScan lastComplete(Path trail, long last, TrailScan scanOfLast) {
        if (scanOfLast.header() != null || last == 0) return scanOfLast;
        return scan(TrailFormat.fileOf(trail, last - 1), last - 1);
    }

    /** As {@link #scan(Path, long)}, telling {@code onBoundary} every transaction boundary (header end included). */
    static TrailScan scan(Path file, long seqno, LongConsumer onBoundary) {
        try (RecordInput in = new RecordInput(file, FileChannel.open(file, StandardOpenOption.READ))) {
            long size = in.size();
            RecordInput.Status st = in.read(0, size);
            if (st != RecordInput.Status.OK) {
                if (size <= MAX_TORN_HEADER) {
                    return new TrailScan(null, 0, size, 0, 0, Set.of(), false, "torn file header (" + st + ")");
                }
                throw new CorruptFileException(file, 0, "no valid file header record (" + st + ")");
            }
            TrailRecords records = new TrailRecords(file, seqno, false);
            records.next(in, 0);
            TrailFormat.FileHeader h = records.header();
            long pos = in.totalLength();
            long headerEnd = pos;
            long boundary = pos;
            onBoundary.accept(pos);
            long lastCsn = h.prevLastCsn();
            Set<Xid> xids = new HashSet<>(h.prevLastXids());
            String reason = null;
            while (pos < size) {
                st = in.read(pos, size);
                if (st != RecordInput.Status.OK) {
                    reason = (st == RecordInput.Status.INCOMPLETE ? "record runs past end of file"
                            : st == RecordInput.Status.BAD_LENGTH ? "invalid record length" : "CRC mismatch")
                            + " at RBA " + pos + (records.inTransaction() ? ", " + unended(records) : "");
                    break;
                }
                if (records.next(in, pos) == TrailRecords.Kind.FILE_END) {
                    if (pos + in.totalLength() != size) {
                        throw new CorruptFileException(file, pos + in.totalLength(), "bytes after the FILE_END record");
                    }
                    return new TrailScan(h, headerEnd, size, pos, lastCsn, xids, true, null);
                }
                pos += in.totalLength();
                if (!records.inTransaction()) {
                    boundary = pos;
                    onBoundary.accept(pos);
                    if (records.csn() > lastCsn) {
                        lastCsn = records.csn();
                        xids = new HashSet<>();
                    }
                    if (records.csn() == lastCsn) xids.add(records.xid());
                }
            }
            if (reason == null && records.inTransaction()) reason = unended(records);
            return new TrailScan(h, headerEnd, size, boundary, lastCsn, xids, false, reason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan trail file " + file, e);
        }
    }

    private static String unended(TrailRecords records) {
        return "transaction CSN " + records.csn() + " XID " + records.xid() + " has no end record";
    }
}
