package io.redotrail.replicat.error;

import io.redotrail.checkpoint.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The discard file's side file ({@code <discard file>.pending}): the records of the one group that is between
 * "about to commit" and "appended", with the discard file's length when they were made and the group's last
 * source transaction (CSN and XID) — what the checkpoint table is asked at the next start whether the group
 * committed. Written whole (temp file, fsync, rename, directory fsync: {@link AtomicFiles}), so after a crash it is
 * absent or complete; a damaged one is refused, naming the file, rather than guessed at.
 * <p>
 * Layout: text header lines ({@code REDOTRAIL DISCARD PENDING 1}, {@code csn}, {@code xid}, {@code length},
 * {@code bytes}, {@code crc32}), an empty line, then the bytes to write at {@code length}. Stateless apart from its
 * path; the caller ({@link DiscardFile}) serialises its use.
 */
final class PendingDiscards {
    private static final String MAGIC = "REDOTRAIL DISCARD PENDING 1";

    /** What a side file holds: write {@code bytes} at {@code length} of the discard file if the group committed. */
    record Entry(long csn, String xid, long length, byte[] bytes) {
    }

    private final Path path;

    PendingDiscards(Path discardFile) {
        this.path = discardFile.resolveSibling(discardFile.getFileName() + ".pending");
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.exists(path);
    }

    void write(Entry e) {
        CRC32 crc = new CRC32();
        crc.update(e.bytes());
        String head = MAGIC + "\ncsn " + e.csn() + "\nxid " + e.xid() + "\nlength " + e.length() + "\nbytes "
                + e.bytes().length + "\ncrc32 " + Long.toHexString(crc.getValue()) + "\n\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(h, h.length + e.bytes().length);
        System.arraycopy(e.bytes(), 0, all, h.length, e.bytes().length);
        AtomicFiles.write(path, all);
    }

    /** The side file's entry, or null when there is none. */
    Entry read() {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read discard side file " + path, e);
        }
        int end = -1;
        for (int i = 0; i + 1 < all.length; i++) {
            if (all[i] == '\n' && all[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) throw damaged("no end of header");
        String[] lines = new String(all, 0, end, StandardCharsets.UTF_8).split("\n");
        if (!lines[0].equals(MAGIC)) throw damaged("first line is not '" + MAGIC + "'");
        Map<String, String> h = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int sp = lines[i].indexOf(' ');
            if (sp < 0) throw damaged("header line '" + lines[i] + "' has no value");
            h.put(lines[i].substring(0, sp), lines[i].substring(sp + 1));
        }
        try {
            long csn = Long.parseLong(need(h, "csn"));
            long length = Long.parseLong(need(h, "length"));
            int n = Integer.parseInt(need(h, "bytes"));
            byte[] bytes = Arrays.copyOfRange(all, end + 2, all.length);
            if (bytes.length != n) throw damaged("holds " + bytes.length + " record bytes, its header says " + n);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if (!Long.toHexString(crc.getValue()).equals(need(h, "crc32"))) throw damaged("CRC32 of the records does not match");
            return new Entry(csn, need(h, "xid"), length, bytes);
        } catch (NumberFormatException e) {
            throw damaged("a number in its header is not one: " + e.getMessage());
        }
    }

    void clear() {
        try {
            Files.deleteIfExists(path); // a deletion a power loss undoes is harmless: completing it again is idempotent
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete discard side file " + path, e);
        }
    }

    private String need(Map<String, String> h, String key) {
        String v = h.get(key);
        if (v == null) throw damaged("no '" + key + "' line");
        return v;
    }

    private IllegalStateException damaged(String why) {
        return new IllegalStateException("discard side file " + path + " is damaged (" + why + "); it holds the discard "
                + "records of a group whose commit a crash interrupted: compare it with the discard file and the checkpoint "
                + "table, then move it away and restart");
    }
}
