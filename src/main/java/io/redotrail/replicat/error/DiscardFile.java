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
 * ({@link #append}), so a rolled-back attempt never leaves a record behind. Not thread-safe.
 */
public final class DiscardFile {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private final Path file;
    private final String group;
    private boolean headerWritten;

    public DiscardFile(Path file, String group) {
        this.file = file;
        this.group = group;
    }

    public Path path() {
        return file;
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

    /** Appends committed records (UTF-8) and forces them to disk. */
    public void append(CharSequence records) {
        if (records.isEmpty()) return;
        try {
            Files.createDirectories(file.getParent());
            StringBuilder sb = new StringBuilder();
            if (!headerWritten && (!Files.exists(file) || Files.size(file) == 0)) {
                sb.append("Oracle GoldenGate-style discard file for Replicat group ").append(group)
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
}
