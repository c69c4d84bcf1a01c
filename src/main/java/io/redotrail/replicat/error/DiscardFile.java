package io.redotrail.replicat.error;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.ValueCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.sql.SQLException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Replicat's discard file ({@code dirrpt/<GROUP>.dsc}), in GoldenGate's spirit: one block per discarded
 * operation with the error, the trail position, the source transaction and both row images, ended by a line
 * with a single {@code *}. Records are buffered per target transaction and appended only after it commits
 * ({@link #commit}), so a rolled-back attempt never leaves a record behind; a side file written before the commit
 * ({@link PendingDiscards}) lets the next start complete an append a crash interrupted ({@link #recover}), so every
 * committed group's records are in the file exactly once.
 * <p>
 * Options ({@link Options#parse}, DISCARDFILE's): {@code APPEND} (default) keeps what an earlier run wrote,
 * {@code PURGE} empties the file when the Replicat starts; {@code MEGABYTES n} or {@code MAXBYTES n} (default 50 MB)
 * bound it. A group whose records would pass the bound is refused by {@link #checkRoom} before it commits — the
 * Replicat abends rather than drop a record. Thread-safe for the parallel Replicat's appliers: {@link #commit} is
 * synchronized while it has records, {@link #format} and {@link #checkRoom} (an early, approximate check) hold no state.
 */
public final class DiscardFile {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** DISCARDFILE options: purge at start, and the largest size in bytes. */
    public record Options(boolean purge, long maxBytes) {
        /** APPEND (GoldenGate purges by default; a crash loop would then erase the records), 50 MB. */
        public static final Options DEFAULT = new Options(false, 50L << 20);

        /** {@code [APPEND | PURGE] [, MAXBYTES n | MEGABYTES n]}, comma or blank separated; blank = the defaults. */
        public static Options parse(String spec) {
            Options o = DEFAULT;
            if (spec == null || spec.isBlank()) return o;
            String[] w = spec.replace(',', ' ').trim().split("\\s+");
            boolean mode = false, size = false;
            for (int i = 0; i < w.length; i++) {
                String k = w[i].toUpperCase(java.util.Locale.ROOT);
                switch (k) {
                    case "APPEND", "PURGE" -> {
                        if (mode) throw bad(spec, "give APPEND or PURGE once");
                        mode = true;
                        o = new Options(k.equals("PURGE"), o.maxBytes());
                    }
                    case "MEGABYTES", "MAXBYTES" -> {
                        if (size || i + 1 >= w.length) throw bad(spec, k + " needs one number (and only one size option)");
                        size = true;
                        long n;
                        try {
                            n = Long.parseLong(w[++i]);
                        } catch (NumberFormatException e) {
                            throw bad(spec, k + " needs a whole number, got '" + w[i] + "'");
                        }
                        long max = k.equals("MEGABYTES") ? 4096 : 4_096_967_295L;
                        if (n < 1 || n > max) throw bad(spec, k + " must be 1.." + max + ", got " + n);
                        o = new Options(o.purge(), k.equals("MEGABYTES") ? n << 20 : n);
                    }
                    default -> throw bad(spec, "unknown option '" + w[i] + "' (APPEND, PURGE, MEGABYTES n, MAXBYTES n)");
                }
            }
            return o;
        }

        private static IllegalArgumentException bad(String spec, String why) {
            return new IllegalArgumentException("discardFileOptions '" + spec.trim() + "': " + why);
        }
    }

    private final Path file;
    private final String group;
    private final Options options;
    private final PendingDiscards pending;
    private final TestHalt halt;
    /** Set while a side file is not resolved: after a failed commit or append, until a restart (guarded by this). */
    private String unresolved;

    public DiscardFile(Path file, String group) {
        this(file, group, Options.DEFAULT);
    }

    public DiscardFile(Path file, String group, Options options) {
        this.file = file;
        this.group = group;
        this.options = options;
        this.pending = new PendingDiscards(file);
        this.halt = new TestHalt(System.getProperty(TestHalt.PROPERTY));
    }

    public Path path() {
        return file;
    }

    /** At start: PURGE empties an existing file. */
    public void open() {
        if (!options.purge()) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge discard file " + file, e);
        }
    }

    /**
     * While a group's records are collected: once they alone pass the bound (in characters, so no encoding
     * cost per record) they cannot fit; refuse now rather than hold a huge group's records on the heap.
     */
    public void checkRoomEarly(CharSequence records) {
        if (records.length() > options.maxBytes()) checkRoom(records);
    }

    /** Refuses records that would make the file larger than its bound (call before the group commits). */
    public void checkRoom(CharSequence records) {
        if (records == null || records.isEmpty()) return;
        long size = size();
        refuseIfFull(size, records.toString().getBytes(StandardCharsets.UTF_8).length + 200L); // + a header line
    }

    private void refuseIfFull(long size, long adding) {
        if (size + adding > options.maxBytes()) {
            throw new IllegalStateException("discard file " + file + " would grow past its limit of " + options.maxBytes()
                    + " bytes (" + size + " written, " + adding + " to add); not committing the group so that no "
                    + "discard record is lost: move the file away or raise discardFileOptions MEGABYTES, then restart");
        }
    }

    /** One record's text. */
    public String format(String response, String error, String sqlText, Transaction tx, RowChange source, String target) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("Current time: ").append(LocalDateTime.now().format(TS)).append('\n');
        sb.append("Discarded record from action ").append(response).append(" on error ").append(error).append('\n');
        if (sqlText != null) sb.append("Statement: ").append(sqlText).append('\n');
        sb.append("Problem replicating ").append(source.table()).append(" to ").append(target).append('\n');
        sb.append("Operation type: ").append(source.op()).append('\n');
        sb.append("Trail position: ").append(tx.trailStart() == null ? "unknown" : tx.trailStart().toString())
                .append(" (transaction ends at ").append(tx.trailEnd() == null ? "unknown" : tx.trailEnd().toString()).append(")\n");
        sb.append("Transaction: XID ").append(tx.xid()).append(", CSN ").append(tx.csn()).append(", commit timestamp ")
                .append(LocalDateTime.ofInstant(Instant.ofEpochMilli(tx.commitTimestampMillis()), ZoneOffset.UTC).format(TS)).append('\n');
        image(sb, "Before image", source.before());
        image(sb, "After image", source.after());
        sb.append("*\n");
        return sb.toString();
    }

    private static void image(StringBuilder sb, String title, RowImage img) {
        if (img == null) return;
        sb.append(title).append(" (").append(img.size()).append(" columns):\n");
        for (int i = 0; i < img.size(); i++) {
            String v = ValueCodec.display(img.value(i));
            if (v.length() > 4000) v = v.substring(0, 4000) + "... (" + v.length() + " characters)";
            sb.append(img.column(i)).append(" = ").append(img.value(i) == null ? "NULL" : v).append('\n');
        }
    }

    /** The commit of the target transaction a group's records belong to ({@code Connection::commit}). */
    @FunctionalInterface
    public interface Commit {
        void run() throws SQLException;
    }

    /** Asks the checkpoint table whether the source transaction with this CSN and XID is applied (its group committed). */
    @FunctionalInterface
    public interface Applied {
        boolean test(long csn, String xid) throws SQLException;
    }

    /**
     * Commits a group's target transaction ({@code commit}) and writes the discard records its replay made, exactly
     * once across a crash: the records, the file's length and the group's last source transaction ({@code csn},
     * {@code xid}) go to a fsynced side file first ({@link PendingDiscards}), then the commit, then the append (fsynced),
     * then the side file goes. A crash in between leaves the side file for {@link #recover}. A group without records
     * just commits. The records that would pass the bound abend the group before its commit ({@link #checkRoom}).
     * Synchronized while there are records: parallel appliers' groups with records commit one at a time, so the
     * length a side file records is where its records go (and the bound is exact).
     */
    public void commit(CharSequence records, long csn, String xid, Commit commit) throws SQLException {
        if (records == null || records.isEmpty()) {
            commit.run();
            return;
        }
        synchronized (this) {
            if (unresolved != null) {
                throw new IllegalStateException("discard file " + file + ": " + unresolved + "; its side file "
                        + pending.path() + " awaits the next start, which completes or drops it");
            }
            long length = prepare();
            byte[] bytes = withHeader(records, length);
            refuseIfFull(length, bytes.length);
            pending.write(new PendingDiscards.Entry(csn, xid, length, bytes));
            halt.at("written");
            // a failed commit (outcome unknown) or append leaves the side file for the next start; no other group
            // may overwrite it meanwhile
            unresolved = "the commit or the append of the group ending with CSN " + csn + " XID " + xid + " failed";
            commit.run();
            halt.at("committed");
            writeAt(length, bytes);
            halt.at("appended");
            pending.clear();
            unresolved = null;
        }
    }

    /**
     * At start, before PURGE: completes what a crash left between a group's commit and its records' append. No side
     * file: nothing to do (null). The group committed ({@code applied} by the checkpoint table: the restart will not
     * replay it): the file is cut back to the recorded length and the records written there, so a crash after the
     * append does not write them twice. It did not commit: the side file goes (the replayed group writes its records
     * again). Returns what was done, for the log.
     */
    public synchronized String recover(Applied applied) throws SQLException {
        PendingDiscards.Entry e = pending.read();
        if (e == null) return null;
        String group = "the group ending with source transaction CSN " + e.csn() + " XID " + e.xid();
        if (!applied.test(e.csn(), e.xid())) {
            pending.clear();
            return group + " did not commit before the crash: its " + e.bytes().length + " bytes of discard records in "
                    + pending.path() + " are dropped (the group is applied again and discards again)";
        }
        prepare();
        long size = size();
        String note = "";
        long at = e.length();
        byte[] bytes = e.bytes();
        if (size < e.length()) {
            // shortened or replaced since: the records cannot be there; appended rather than lost
            at = size;
            if (size == 0) bytes = withHeader(new String(bytes, StandardCharsets.UTF_8), 0);
            note = " (the file had " + size + " bytes, fewer than the " + e.length() + " recorded: appended at its end)";
        }
        writeAt(at, bytes);
        pending.clear();
        return group + " committed before the crash: its " + e.bytes().length + " bytes of discard records from "
                + pending.path() + " are written to " + file + " at byte " + at + note;
    }

    /** Appends records outside any group's transaction (tools and tests) and forces them to disk. */
    public synchronized void append(CharSequence records) {
        if (records.isEmpty()) return;
        long length = prepare();
        writeAt(length, withHeader(records, length));
    }

    /** Makes the directory and the file (owner only, its directory entry fsynced); returns its length. */
    private long prepare() {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean made = !Files.exists(file);
            ownerOnly();
            if (made) io.redotrail.checkpoint.AtomicFiles.fsyncDirectory(dir); // the new file's name survives a power loss
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open discard file " + file, e);
        }
    }

    private long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of discard file " + file, e);
        }
    }

    /** The records (UTF-8), after the file's header line when they are its first bytes. */
    private byte[] withHeader(CharSequence records, long length) {
        StringBuilder sb = new StringBuilder(records.length() + 100);
        if (length == 0) {
            sb.append("Discard file of Replicat group ").append(group)
                    .append(" (redotrail), opened ").append(LocalDateTime.now().format(TS)).append("\n\n");
        }
        return sb.append(records).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Cuts the file to {@code at} bytes, writes {@code bytes} there and forces them to disk. */
    private void writeAt(long at, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > at) ch.truncate(at);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long pos = at;
            while (b.hasRemaining()) pos += ch.write(b, pos);
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write discard file " + file, e);
        }
    }

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    /**
     * The records hold row values in the clear (before and after images): the file is created readable by its owner
     * only (0600), and an existing one wider than that is narrowed, where the file system has POSIX permissions.
     */
    private void ownerOnly() throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            if (!Files.exists(file)) Files.createFile(file);
            return;
        }
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile: narrowed below
            }
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
}
