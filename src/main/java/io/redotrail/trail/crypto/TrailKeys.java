package io.redotrail.trail.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The master keys of trail encryption: the key file {@code <home>/ENCKEYS}, GoldenGate's layout, one key a line:
 * <pre>
 * # comment (also "--")
 * superkey   0x420E61BE7002D63560929CCA17A4E1FB
 * </pre>
 * A name ({@code [A-Za-z0-9_]}, up to 64 characters, matched without regard to case), blanks, the key in hex
 * (128, 192 or 256 bits, {@code 0x} optional). The file must be readable by its owner only (0600): one readable by
 * group or others is refused. Keys are looked up by name, so rotating is adding a line and naming the new key in
 * KEYNAME: records carry their key's name, and old ones decrypt as long as their name stays in the file. A name
 * missing from the file read so far makes it read again when the file changed (a key added while a reader runs).
 * Messages name the file, line and key name, never a key. Thread-safe.
 */
public final class TrailKeys {
    public static final String FILE_NAME = "ENCKEYS";
    /** GoldenGate's master key name when ENCRYPTTRAIL names none. */
    public static final String DEFAULT_KEY = "DEFAULT";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private Map<String, Key> keys;
    private FileTime readModified;
    private long readSize = -1;

    /** A master key as the file names it. */
    record Key(String name, byte[] bytes) {
        @Override
        public String toString() {
            return "Key[" + name + ", " + bytes.length * 8 + " bits]";
        }
    }

    private TrailKeys(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** {@code <home>/ENCKEYS}. */
    public static Path defaultFile(Path home) {
        return home.resolve(FILE_NAME);
    }

    /** Reads {@code file} now: missing, too open or malformed is a {@link TrailKeyException}. */
    public static TrailKeys load(Path file) {
        TrailKeys k = new TrailKeys(file);
        synchronized (k) {
            k.read();
        }
        return k;
    }

    /** The key file {@code file}, read when a key is first needed (a reader that never meets an encrypted record needs none). */
    public static TrailKeys lazy(Path file) {
        return new TrailKeys(file);
    }

    public Path file() {
        return file;
    }

    /** Names of the keys in the file, as it spells them, in file order. */
    public synchronized Set<String> names() {
        if (keys == null) read();
        Set<String> out = new java.util.LinkedHashSet<>();
        for (Key k : keys.values()) out.add(k.name());
        return Collections.unmodifiableSet(out);
    }

    public synchronized boolean contains(String name) {
        return find(name) != null;
    }

    /** The key {@code name}, or OGG-06400 naming the file and {@code where} (a record's position, or the parameter). */
    synchronized Key key(String name, String where) {
        Key k = find(name);
        if (k == null) {
            throw new TrailKeyException("OGG-06400 The key specified with KEYNAME is not present in the ENCKEYS file: key "
                    + name + " (" + where + ") is not in key file " + file + " (keys: " + String.join(", ", namesRead()) + ")");
        }
        return k;
    }

    private Key find(String name) {
        if (keys == null) read();
        Key k = keys.get(name.toUpperCase(Locale.ROOT));
        if (k == null && changed()) {
            read();
            k = keys.get(name.toUpperCase(Locale.ROOT));
        }
        return k;
    }

    private List<String> namesRead() {
        return keys == null ? List.of() : keys.values().stream().map(Key::name).toList();
    }

    private boolean changed() {
        try {
            return !Files.getLastModifiedTime(file).equals(readModified) || Files.size(file) != readSize;
        } catch (IOException e) {
            return true;
        }
    }

    private void read() {
        List<String> lines;
        try {
            checkOwnerOnly(file);
            readModified = Files.getLastModifiedTime(file);
            readSize = Files.size(file);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TrailKeyException("RTR-01252 key file " + file + " does not exist: create it with"
                    + " bin/redotrail keygen (docs/parameters.md, \"Trail encryption\")");
        } catch (IOException e) {
            throw new TrailKeyException("RTR-01252 cannot read key file " + file + ": " + e.getMessage());
        }
        Map<String, Key> read = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("--")) continue;
            String[] f = line.split("\\s+");
            String where = "key file " + file + " line " + (i + 1);
            if (f.length != 2 || !NAME.matcher(f[0]).matches()) {
                throw new TrailKeyException("RTR-01252 " + where + ": expected a key name ([A-Za-z0-9_], up to 64) and a hex key");
            }
            byte[] key = parseHex(f[1], where + " (key " + f[0] + ")");
            if (read.putIfAbsent(f[0].toUpperCase(Locale.ROOT), new Key(f[0], key)) != null) {
                throw new TrailKeyException("RTR-01252 " + where + ": key " + f[0] + " is defined twice");
            }
        }
        keys = read;
    }

    private static byte[] parseHex(String text, String where) {
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (hex.length() != 32 && hex.length() != 48 && hex.length() != 64) {
            throw new TrailKeyException("RTR-01252 " + where + ": the key must be 128, 192 or 256 bits (32, 48 or 64 hex digits)");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new TrailKeyException("RTR-01252 " + where + ": the key is not hexadecimal");
        }
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new TrailKeyException("RTR-01252 key file " + file + " is readable or writable by others ("
                    + PosixFilePermissions.toString(perms) + "): chmod 600 " + file);
        }
    }

    /**
     * {@code keygen}: appends a new random key {@code name} of {@code bits} (128, 192, 256) to {@code file},
     * creating it owner-only (0600). The key is written to the file only, never shown. A name already in the file
     * is refused: a key is never replaced, or the records encrypted with it could no longer be read.
     */
    public static void generate(Path file, String name, int bits, SecureRandom random) {
        if (bits != 128 && bits != 192 && bits != 256) throw new IllegalArgumentException("key bits must be 128, 192 or 256: " + bits);
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("key name must be [A-Za-z0-9_], up to 64 characters: " + name);
        try {
            Path abs = file.toAbsolutePath();
            if (Files.exists(abs)) {
                if (load(abs).contains(name)) {
                    throw new IllegalArgumentException("key " + name + " is already in " + abs + ": a key is never replaced"
                            + " (records encrypted with it would become unreadable); choose another name");
                }
            } else {
                Files.createDirectories(abs.getParent());
                try {
                    Files.createFile(abs, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(abs);
                }
                Files.writeString(abs, "# redotrail trail encryption keys (ENCRYPTTRAIL ..., KEYNAME name): name 0xHEX."
                        + " Keep readable by the owner only; never remove a key older records need.\n", StandardOpenOption.APPEND);
            }
            byte[] key = new byte[bits / 8];
            random.nextBytes(key);
            Files.writeString(abs, name + " 0x" + HexFormat.of().withUpperCase().formatHex(key) + "\n", StandardOpenOption.APPEND);
            java.util.Arrays.fill(key, (byte) 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key file " + file, e);
        }
    }

    @Override
    public String toString() {
        return "TrailKeys[" + file + "]";
    }
}
