package io.redotrail.checkpoint;

import io.redotrail.core.CorruptFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Small UTF-8 text state files (checkpoint files, the redo control file) sealed with a last line
 * {@code <prefix><hex CRC-32C of every byte before that line>} and replaced atomically ({@link AtomicFiles}).
 * A torn write cannot happen (rename); a file damaged afterwards fails its CRC and is reported with its path,
 * never guessed at. Stateless and thread-safe; one writer per file is the caller's contract.
 */
public final class SealedTextFile {
    private SealedTextFile() {
    }

    public static void write(Path path, String body, String crcPrefix) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(b);
        byte[] tail = (crcPrefix + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[b.length + tail.length];
        System.arraycopy(b, 0, all, 0, b.length);
        System.arraycopy(tail, 0, all, b.length, tail.length);
        AtomicFiles.write(path, all);
    }

    /** Writes {@code key=value} lines (backslash and newline escaped) sealed with a {@code crc32c=} line. */
    public static void writeProperties(Path path, Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        write(path, sb.toString(), "crc32c=");
    }

    /** The properties written by {@link #writeProperties}, in file order; empty when the file does not exist. */
    public static Optional<Map<String, String>> readProperties(Path path, String what) {
        return read(path, "crc32c=", what).map(body -> properties(body, path, 0, what));
    }

    /** The {@code key=value} lines of a checked body that starts at {@code offset} of {@code path}. */
    static Map<String, String> properties(String body, Path path, long offset, String what) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                if (eq < 0) throw new CorruptFileException(path, offset, what + " line without '=': " + line);
                m.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
            }
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return m;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The body (everything before the CRC line), or empty when the file does not exist. */
    public static Optional<String> read(Path path, String crcPrefix, String what) {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + path, e);
        }
        return Optional.of(unseal(all, path, 0, crcPrefix, what));
    }

    /**
     * The body of sealed bytes {@code all} (everything before the CRC line), which start at {@code offset} of
     * {@code path}; a missing trailer or a CRC mismatch is a {@link CorruptFileException} naming path and offset.
     */
    static String unseal(byte[] all, Path path, long offset, String crcPrefix, String what) {
        String text = new String(all, StandardCharsets.UTF_8);
        int at = text.lastIndexOf(crcPrefix);
        if (at < 0 || !text.endsWith("\n")) {
            throw new CorruptFileException(path, offset + all.length, what + " has no " + crcPrefix.trim() + " trailer line");
        }
        byte[] body = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        String stored = text.substring(at + crcPrefix.length()).trim();
        if (!Long.toHexString(crc.getValue()).equals(stored)) {
            throw new CorruptFileException(path, offset + body.length, what + " CRC mismatch (stored " + stored
                    + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        return text.substring(0, at);
    }
}
