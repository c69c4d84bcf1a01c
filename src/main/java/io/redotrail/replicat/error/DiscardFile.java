package io.redotrail.replicat.error;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.ValueCodec;

import java.io.IOException;
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
 * ({@link #append}), so a rolled-back attempt never leaves a record behind.
 * <p>
 * Options ({@link Options#parse}, DISCARDFILE's): {@code APPEND} (default) keeps what an earlier run wrote,
 * {@code PURGE} empties the file when the Replicat starts; {@code MEGABYTES n} or {@code MAXBYTES n} (default 50 MB)
 * bound it. A group whose records would pass the bound is refused by {@link #checkRoom} before it commits — the
 * Replicat abends rather than drop a record. Thread-safe for the parallel Replicat's appliers: {@link #append} is
 * synchronized, {@link #format} and {@link #checkRoom} hold no state (a size check may race an append by another
 * applier: the bound is approximate by one piece's records).
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
    private boolean headerWritten;

    public DiscardFile(Path file, String group) {
        this(file, group, Options.DEFAULT);
    }

    public DiscardFile(Path file, String group, Options options) {
        this.file = file;
        this.group = group;
        this.options = options;
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
        long size;
        try {
            size = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of discard file " + file, e);
        }
        long adding = records.toString().getBytes(StandardCharsets.UTF_8).length + 200L; // + a header line
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

    /** Appends committed records (UTF-8) and forces them to disk; synchronized: parallel appliers append. */
    public synchronized void append(CharSequence records) {
        if (records.isEmpty()) return;
        try {
            Files.createDirectories(file.getParent());
            if (!headerWritten) ownerOnly();
            StringBuilder sb = new StringBuilder();
            if (!headerWritten && (!Files.exists(file) || Files.size(file) == 0)) {
                sb.append("Discard file of Replicat group ").append(group)
                        .append(" (redotrail), opened ").append(LocalDateTime.now().format(TS)).append("\n\n");
            }
            headerWritten = true;
            sb.append(records);
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
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
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
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
