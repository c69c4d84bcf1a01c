package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator's repositioning (GGSCI {@code ALTER ... ETROLLOVER | EXTSEQNO n, EXTRBA m}) needs to know
 * about a trail on disk, read with the writer's own recovery scan so both agree on what is complete.
 */
public final class TrailFiles {
    private TrailFiles() {
    }

    /** The last complete transaction of the trail: where it ends and its CSN; null when the trail has no files. */
    public record LastComplete(TrailPosition end, Scn csn) {
    }

    public static LastComplete lastComplete(Path trail) {
        long[] seqnos = TrailFormat.seqnos(trail);
        if (seqnos.length == 0) return null;
        long last = seqnos[seqnos.length - 1];
        TrailScan scan = TrailScan.scan(TrailFormat.fileOf(trail, last), last);
        TrailScan complete = TrailScan.lastComplete(trail, last, scan);
        return new LastComplete(new TrailPosition(last, scan.boundary()), Scn.of(complete.lastCsn()));
    }

    /**
     * Refuses (IllegalArgumentException naming file and RBA, and the nearest boundaries) unless {@code p} is
     * RBA 0 of an existing file of the trail or the end of a complete transaction in it.
     */
    public static void requireBoundary(Path trail, TrailPosition p) {
        Path file = TrailFormat.fileOf(trail, p.seqno());
        if (!Files.isRegularFile(file)) {
            long[] s = TrailFormat.seqnos(trail);
            throw new IllegalArgumentException("trail file " + file + " (EXTSEQNO " + p.seqno() + ") does not exist; "
                    + (s.length == 0 ? "trail " + trail + " has no files" : "existing files: seqno " + s[0] + " to " + s[s.length - 1]));
        }
        if (p.rba() == 0) return;
        List<Long> boundaries = new ArrayList<>();
        TrailScan scan;
        try {
            scan = TrailScan.scan(file, p.seqno(), boundaries::add);
        } catch (CorruptFileException e) {
            if (boundaries.contains(p.rba())) return; // a boundary before the corruption is still a place to start
            throw new IllegalArgumentException("RBA " + p.rba() + " of " + file + " is not a transaction boundary before "
                    + "the unreadable record: " + e.getMessage(), e);
        }
        if (boundaries.contains(p.rba()) || (scan.endsWithFileEnd() && p.rba() == scan.size())) return;
        long before = 0, after = -1;
        for (long b : boundaries) {
            if (b < p.rba()) before = b;
            else if (after < 0) after = b;
        }
        throw new IllegalArgumentException("RBA " + p.rba() + " of " + file + " is not a transaction boundary (RBA 0 or the "
                + "end of a transaction); nearest: RBA " + before + (after < 0 ? "" : " and RBA " + after)
                + (p.rba() > scan.boundary() ? "; the file's complete transactions end at RBA " + scan.boundary() : ""));
    }

    /**
     * Where re-reading {@code trail} passes every transaction with a CSN above {@code csn}: RBA 0 of the newest
     * file, not above {@code upTo}, whose header says everything before it is below {@code csn} (else the oldest
     * file). Null when the trail has no files.
     */
    public static TrailPosition rereadFrom(Path trail, Scn csn, long upTo) {
        long[] seqnos = TrailFormat.seqnos(trail);
        if (seqnos.length == 0) return null;
        for (int i = seqnos.length - 1; i > 0; i--) {
            if (seqnos[i] > upTo) continue;
            if (previousLastCsn(trail, seqnos[i]) < csn.value()) return new TrailPosition(seqnos[i], 0);
        }
        return new TrailPosition(seqnos[0], 0);
    }

    /** The CSN the file's header says the trail had reached before this file. */
    public static long previousLastCsn(Path trail, long seqno) {
        Path file = TrailFormat.fileOf(trail, seqno);
        try (RecordInput in = new RecordInput(file, FileChannel.open(file, StandardOpenOption.READ))) {
            RecordInput.Status st = in.read(0, in.size());
            if (st != RecordInput.Status.OK || in.type() != TrailFormat.TYPE_FILE_HEADER) {
                throw new CorruptFileException(file, 0, "no valid file header record (" + st + ")");
            }
            return TrailFormat.readHeader(in.body(0)).prevLastCsn();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trail file " + file, e);
        }
    }

    /**
     * The group named in the header of the trail's last file: the process that writes the trail (for a remote trail,
     * the pump its collectors write for). Empty when the trail has no file or the last one has no valid header yet.
     */
    public static java.util.Optional<String> writerOf(Path trail) {
        java.util.OptionalLong last = TrailFormat.lastSeqno(trail);
        if (last.isEmpty()) return java.util.Optional.empty();
        Path file = TrailFormat.fileOf(trail, last.getAsLong());
        try (RecordInput in = new RecordInput(file, FileChannel.open(file, StandardOpenOption.READ))) {
            if (in.read(0, in.size()) != RecordInput.Status.OK || in.type() != TrailFormat.TYPE_FILE_HEADER) return java.util.Optional.empty();
            return java.util.Optional.of(TrailFormat.readHeader(in.body(0)).group());
        } catch (IOException | CorruptFileException e) {
            return java.util.Optional.empty(); // a file being created or torn: the collector's own check decides
        }
    }
}
