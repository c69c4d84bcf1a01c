package io.redotrail.trail;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.Xid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Constants, file naming and the file header / end-of-file records of the trail format, version
 * {@value #FORMAT_VERSION} (docs/trail-format.md). Every record is framed as
 * <pre>
 * i32 L        length of type + body (1 .. MAX_RECORD_LENGTH)
 * u8  type     FILE_HEADER 1, ROW 2, FILE_END 3
 * ...          body, L - 1 bytes
 * i32 crc      CRC-32C over the 4 + L bytes before it (length, type, body)
 * </pre>
 * All integers big-endian. The RBA of a record is the byte offset of its length field. Stateless, thread-safe.
 */
public final class TrailFormat {
    /** Version written; 2 added encrypted ROW records (image mask 0x80). Version-1 files are read as before. */
    public static final int FORMAT_VERSION = 2;
    /** Oldest version read. */
    public static final int MIN_FORMAT_VERSION = 1;
    /** "RTRL" */
    public static final int MAGIC = 0x5254524C;
    public static final int TYPE_FILE_HEADER = 1, TYPE_ROW = 2, TYPE_FILE_END = 3;
    public static final int TRANS_BEGIN = 0, TRANS_MIDDLE = 1, TRANS_END = 2, TRANS_WHOLE = 3;
    /** Framing bytes around type + body: length field and CRC. */
    public static final int FRAME = 8;
    public static final int MAX_RECORD_LENGTH = 1 << 30;
    public static final long DEFAULT_MAX_FILE_BYTES = 500L * 1024 * 1024;
    /** GoldenGate's MEGABYTES range of a trail file: 1 to 2000 (ADD EXTTRAIL, the writer's configuration). */
    public static final int MIN_MEGABYTES = 1, MAX_MEGABYTES = 2000;

    private static final Pattern SEQNO = Pattern.compile("\\d{9}");

    private TrailFormat() {
    }

    /** File header (record at RBA 0). {@code prevLastCsn}/{@code prevLastXids}: the last complete transaction
     * in earlier files, so a writer opening this file need not scan its predecessors. */
    public record FileHeader(int version, String prefix, long seqno, long createdMillis, String group,
                             long prevLastCsn, List<Xid> prevLastXids) {
    }

    /** Checks a trail path such as {@code /home/gg/dirdat/ex}: its file name must be two characters, the
     * first not a digit. */
    public static void checkPrefix(Path trail) {
        String p = trail.getFileName() == null ? "" : trail.getFileName().toString();
        if (p.length() != 2 || Character.isDigit(p.charAt(0))) {
            throw new IllegalArgumentException("trail name must be two characters, the first not a digit: " + trail);
        }
    }

    /** File {@code seqno} of {@code trail}: {@link #fileName} in the trail's directory. */
    public static Path fileOf(Path trail, long seqno) {
        return trail.resolveSibling(fileName(trail.getFileName().toString(), seqno));
    }

    /** A trail file's name: the prefix and the seqno in nine digits, zero-padded ({@code ex000000012}). */
    public static String fileName(String prefix, long seqno) {
        if (seqno < 0) return prefix + String.format("%09d", seqno); // never a real file; named as it always was
        // not String.format: a reader at the end of its trail names the next file at every poll
        String digits = Long.toString(seqno);
        return prefix + "000000000".substring(Math.min(9, digits.length())) + digits;
    }

    /** Sequence numbers of the existing files of this trail, ascending. */
    public static long[] seqnos(Path trail) {
        Path dir = trail.toAbsolutePath().getParent();
        String prefix = trail.getFileName().toString();
        if (!Files.isDirectory(dir)) return new long[0];
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString())
                    .filter(n -> n.length() == 11 && n.startsWith(prefix) && SEQNO.matcher(n.substring(2)).matches())
                    .mapToLong(n -> Long.parseLong(n.substring(2))).sorted().toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list trail directory " + dir, e);
        }
    }

    public static OptionalLong lastSeqno(Path trail) {
        long[] s = seqnos(trail);
        return s.length == 0 ? OptionalLong.empty() : OptionalLong.of(s[s.length - 1]);
    }

    /** Starts a record at w.position(): reserves the length, writes the type. Returns the record's start index. */
    public static int begin(BinaryWriter w, int type) {
        int start = w.position();
        w.i32(0).u8(type);
        return start;
    }

    /** Completes the record started at {@code start}: patches the length, appends the CRC. */
    public static void end(BinaryWriter w, int start) {
        w.putI32At(start, w.position() - start - 4);
        w.i32(w.crc(start));
    }

    public static void writeHeader(BinaryWriter w, FileHeader h) {
        int start = begin(w, TYPE_FILE_HEADER);
        w.i32(MAGIC).i16(h.version()).shortString(h.prefix()).i64(h.seqno()).i64(h.createdMillis())
                .shortString(h.group()).i64(h.prevLastCsn()).i16(h.prevLastXids().size());
        for (Xid x : h.prevLastXids()) writeXid(w, x);
        end(w, start);
    }

    public static FileHeader readHeader(BinaryReader r) {
        int magic = r.i32("magic");
        if (magic != MAGIC) throw r.corrupt("not a redotrail trail file (magic " + Integer.toHexString(magic) + ")");
        int version = r.u16("format version");
        if (version < MIN_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw r.corrupt("unsupported trail format version " + version + " (this build reads " + MIN_FORMAT_VERSION
                    + " to " + FORMAT_VERSION + ")");
        }
        String prefix = r.shortString("prefix");
        long seqno = r.i64("seqno");
        long created = r.i64("creation time");
        String group = r.shortString("group");
        long prevCsn = r.i64("previous last CSN");
        int n = r.u16("previous last XID count");
        List<Xid> xids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) xids.add(readXid(r));
        return new FileHeader(version, prefix, seqno, created, group, prevCsn, List.copyOf(xids));
    }

    /** FILE_END body: next seqno, CSN of the last complete transaction so far. */
    public static void writeFileEnd(BinaryWriter w, long nextSeqno, long lastCsn) {
        int start = begin(w, TYPE_FILE_END);
        w.i64(nextSeqno).i64(lastCsn);
        end(w, start);
    }

    /** FILE_END body: where the trail goes on, and the CSN it had reached. */
    public record FileEnd(long nextSeqno, long lastCsn) {
    }

    public static FileEnd readFileEnd(BinaryReader r) {
        FileEnd e = new FileEnd(r.i64("next seqno"), r.i64("last CSN"));
        if (r.remaining() != 0) throw r.corrupt(r.remaining() + " unexpected bytes after FILE_END record body");
        return e;
    }

    public static void writeXid(BinaryWriter w, Xid x) {
        w.i32(x.usn()).i32(x.slot()).i64(x.sqn());
    }

    public static Xid readXid(BinaryReader r) {
        return new Xid(r.i32("XID usn"), r.i32("XID slot"), r.i64("XID sqn"));
    }
}
