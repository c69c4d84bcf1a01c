package io.redotrail.trail;

import io.redotrail.core.CorruptFileException;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.TrailKeyException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the record at any RBA of one trail file, for inspection (logdump): the same framing ({@link RecordInput})
 * and body decoding ({@link TrailFormat}, {@link RowRecords}) as {@link TrailReader}, but without its sequencing
 * rules, so a damaged record is reported ({@link Status}, a reason naming what is wrong) instead of thrown, and
 * reading can go on at any other RBA, e.g. the next valid record found by {@link #scanForHeader(long)}. The file
 * size is sampled on every read: a file still being written shows its new records. Encrypted row images
 * (ENCRYPTTRAIL) stay sealed ({@link io.redotrail.core.RowChange#sealed()}) unless {@link #decryptWith} gave a key:
 * then a record that does not decrypt is {@link Status#KEY_FAILED}. Not thread-safe.
 */
public final class TrailInspector implements AutoCloseable {
    /** What is at an RBA. Only {@link #OK} records have a decoded body. */
    public enum Status {
        OK,
        /** The RBA is the end of the file: nothing (more) there. */
        END_OF_FILE,
        /** The record runs past the end of the file: a torn tail, or a write in progress. */
        TORN,
        BAD_LENGTH,
        BAD_CRC,
        /** A valid frame whose content cannot be what it claims: unknown type, undecodable body. */
        BAD_CONTENT,
        /** Encrypted images that the key given cannot open: another key's name, a key missing from the key file, another key under that name. */
        KEY_FAILED
    }

    /**
     * One record: {@code length} is the whole frame (length field, type, body, CRC) as its length field states,
     * 0 when unknown; exactly one of {@code header}, {@code row}, {@code fileEnd} is set for an OK record;
     * {@code problem} says what is wrong otherwise.
     */
    public record Record(long rba, Status status, int type, long length, TrailFormat.FileHeader header,
                         RowRecords.Row row, TrailFormat.FileEnd fileEnd, String problem) {
        public boolean ok() {
            return status == Status.OK;
        }

        /** The RBA after this record. */
        public long next() {
            return rba + length;
        }
    }

    private final Path file;
    private final long seqno;
    private final RecordInput in;
    private long sampled = -1;
    private RecordOpener opener;
    private String keyName;

    private TrailInspector(Path file, long seqno, RecordInput in) {
        this.file = file;
        this.seqno = seqno;
        this.in = in;
    }

    public static TrailInspector open(Path file) throws IOException {
        Path f = file.toAbsolutePath().normalize();
        String n = f.getFileName().toString();
        long seqno = n.length() == 11 && !Character.isDigit(n.charAt(0)) && n.substring(2).chars().allMatch(Character::isDigit)
                ? Long.parseLong(n.substring(2)) : -1;
        return new TrailInspector(f, seqno, new RecordInput(f, FileChannel.open(f, StandardOpenOption.READ)));
    }

    public Path file() {
        return file;
    }

    /** The seqno in the file's name ({@code <pp><nnnnnnnnn>}), -1 when it is not named as a trail file. */
    public long seqno() {
        return seqno;
    }

    /** The file of seqno {@code n} of this file's trail; null when this file is not named as a trail file. */
    public Path sibling(long n) {
        if (seqno < 0) return null;
        String name = file.getFileName().toString();
        return TrailFormat.fileOf(file.resolveSibling(name.substring(0, 2)), n);
    }

    /**
     * Encrypted records are decrypted from now on with the keys of {@code opener}, only those encrypted under
     * {@code keyName} (case-insensitive); null: they stay sealed.
     */
    public void decryptWith(RecordOpener opener, String keyName) {
        this.opener = opener;
        this.keyName = opener == null ? null : keyName;
    }

    public long size() {
        long s = in.size();
        if (s != sampled) in.invalidate(); // the writer appended or its recovery cut: never reuse old bytes
        sampled = s;
        return s;
    }

    public Record read(long rba) {
        return read(rba, size());
    }

    /**
     * The first valid record after {@code from} (GoldenGate's SCANFORHEADER, past damage): the first RBA where a
     * frame with a valid CRC and a decodable body begins; END_OF_FILE at the file size when there is none.
     */
    public Record scanForHeader(long from) {
        long size = size();
        for (long p = Math.max(from + 1, 1); p + TrailFormat.FRAME < size; p++) {
            // only ROW and FILE_END records lie past RBA 0: other type bytes are passed without reading a frame,
            // which a random length field could make megabytes long
            int type;
            try {
                type = in.byteAt(p + 4, size);
            } catch (RecordInput.TruncatedException e) {
                size = size(); // the writer's recovery cut the file under the scan
                continue;
            }
            if (type != TrailFormat.TYPE_ROW && type != TrailFormat.TYPE_FILE_END) continue;
            Record r = read(p, size);
            if (r.ok() || r.status() == Status.KEY_FAILED) return r; // a valid frame: the key is another matter
        }
        return new Record(size, Status.END_OF_FILE, 0, 0, null, null, null, "end of file");
    }

    private Record read(long rba, long size) {
        if (rba >= size) return new Record(rba, Status.END_OF_FILE, 0, 0, null, null, null, "end of file");
        RecordInput.Status st;
        try {
            st = in.read(rba, size);
        } catch (RecordInput.TruncatedException e) {
            in.invalidate();
            return read(rba, size());
        }
        long claimed = in.claimedTotalLength(rba);
        switch (st) {
            case INCOMPLETE:
                return new Record(rba, Status.TORN, 0, claimed < 0 ? 0 : claimed, null, null, null, claimed < 0
                        ? "only " + (size - rba) + " bytes left, less than a length field: " + st.describe()
                        : st.describe() + " (length field says " + claimed + " bytes with its frame, the file has "
                        + (size - rba) + " from this RBA): a torn tail, or a write in progress");
            case BAD_LENGTH:
                return new Record(rba, Status.BAD_LENGTH, 0, 0, null, null, null,
                        st.describe() + " " + (claimed - TrailFormat.FRAME) + " (valid: 1 to " + TrailFormat.MAX_RECORD_LENGTH + ")");
            case BAD_CRC:
                return new Record(rba, Status.BAD_CRC, 0, claimed, null, null, null,
                        st.describe() + " (length field says " + claimed + " bytes with its frame)");
            default:
                break;
        }
        int type = in.type();
        long length = in.totalLength();
        try {
            return switch (type) {
                case TrailFormat.TYPE_FILE_HEADER -> {
                    if (rba != 0) yield bad(rba, type, length, "a file header record away from RBA 0");
                    TrailFormat.FileHeader h = TrailFormat.readHeader(in.body(rba));
                    if (seqno >= 0 && h.seqno() != seqno) {
                        yield bad(rba, type, length, "file header says seqno " + h.seqno() + ", file name says " + seqno);
                    }
                    yield new Record(rba, Status.OK, type, length, h, null, null, null);
                }
                case TrailFormat.TYPE_ROW -> row(rba, type, length);
                case TrailFormat.TYPE_FILE_END ->
                        new Record(rba, Status.OK, type, length, null, null, TrailFormat.readFileEnd(in.body(rba)), null);
                default -> bad(rba, type, length, "unknown record type " + type);
            };
        } catch (CorruptFileException e) {
            return bad(rba, type, length, "valid CRC, but " + e.reason());
        }
    }

    private Record row(long rba, int type, long length) {
        RowRecords.Row row = RowRecords.read(in.body(rba), (RecordOpener) null);
        if (opener == null || !row.change().isSealed()) return new Record(rba, Status.OK, type, length, null, row, null, null);
        String named = RecordOpener.keyName(row.change().sealed().bytes());
        if (keyName != null && !keyName.equalsIgnoreCase(named)) {
            return new Record(rba, Status.KEY_FAILED, type, length, null, null, null, "the record is encrypted under key "
                    + named + ", not " + keyName + " (ENCRYPT ON KEYNAME " + named + " reads it)");
        }
        try {
            return new Record(rba, Status.OK, type, length, null, RowRecords.read(in.body(rba), opener), null, null);
        } catch (TrailKeyException e) {
            return new Record(rba, Status.KEY_FAILED, type, length, null, null, null, e.getMessage());
        }
    }

    private static Record bad(long rba, int type, long length, String why) {
        return new Record(rba, Status.BAD_CONTENT, type, length, null, null, null, why);
    }

    @Override
    public void close() {
        in.close();
    }
}
