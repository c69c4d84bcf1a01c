package io.redotrail.control.credentials;

import io.redotrail.checkpoint.AtomicFiles;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The home's credential store, GoldenGate's {@code dircrd/cwallet.sso}: logins by alias and domain (default
 * {@code OracleGoldenGate}), each a user id {@code user@jdbcUrl} (GoldenGate's user@connect-string; the user is
 * what comes before the first '@') and its password. On disk:
 * <ul>
 * <li>{@code dircrd/cwallet.sso}: {@code redotrail-credentialstore=1}, {@code nonce=<base64>},
 * {@code data=<base64>}: every entry encrypted together with AES-256-GCM (the header line is authenticated
 * too), so neither user ids nor passwords are readable at rest, and a changed byte is detected;</li>
 * <li>{@code dirwlt/credentials.key}: the 256-bit key, base64, readable by the owner only (0600, folder
 * 0700): the store alone, copied elsewhere, reveals nothing.</li>
 * </ul>
 * Secrets never appear in a message: {@link Login#toString()} masks the password, errors name files and aliases
 * only. Reads and writes whole files (atomic rename); not thread-safe across concurrent writers (GGSCI
 * commands run one at a time).
 */
public final class CredentialStore {
    public static final String DEFAULT_DOMAIN = "OracleGoldenGate";
    private static final String HEADER = "redotrail-credentialstore=1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern PASSWORD = Pattern.compile("(?i)(\\bPASSWORD\\s+)(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final Path keyFile;

    private CredentialStore(Path home) {
        Path h = home.toAbsolutePath().normalize();
        this.file = h.resolve("dircrd").resolve("cwallet.sso");
        this.keyFile = h.resolve("dirwlt").resolve("credentials.key");
    }

    /** The store of {@code home} (which may not exist yet: {@link #create}). */
    public static CredentialStore of(Path home) {
        return new CredentialStore(home);
    }

    /** An entry as INFO CREDENTIALSTORE shows it: no password. */
    public record Entry(String domain, String alias, String userId) {
    }

    /** A login for a JDBC connection; {@link #toString()} never shows the password. */
    public record Login(String user, String jdbcUrl, String password) {
        @Override
        public String toString() {
            return "Login[user=" + user + ", jdbcUrl=" + jdbcUrl + ", password=********]";
        }
    }

    private record Stored(String domain, String alias, String userId, String password) {
        @Override
        public String toString() {
            return "Stored[" + domain + ", " + alias + ", " + userId + ", ********]";
        }
    }

    public Path file() {
        return file;
    }

    public Path keyFile() {
        return keyFile;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** ADD CREDENTIALSTORE: the key and an empty store; refused when the store exists. */
    public void create() {
        if (exists()) throw new CredentialException("Credential store in ./dircrd/ already exists.");
        try {
            ownerOnlyDir(keyFile.getParent());
            ownerOnlyDir(file.getParent());
            if (!Files.exists(keyFile)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(keyFile);
                } catch (FileAlreadyExistsException e) {
                    throw new CredentialException("key file " + keyFile + " appeared while the store was created");
                }
                Files.write(keyFile, Base64.getEncoder().encode(key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the credential store in " + file.getParent(), e);
        }
        write(List.of());
    }

    /** ALTER CREDENTIALSTORE ADD USER: refused when the alias exists in the domain. */
    public void add(String domain, String alias, String userId, String password) {
        List<Stored> all = new ArrayList<>(read());
        if (find(all, domain, alias).isPresent()) {
            throw new CredentialException("The alias " + alias + " already exists in domain " + domain
                    + ": ALTER CREDENTIALSTORE REPLACE USER changes it.");
        }
        checkUserId(userId);
        all.add(new Stored(domain, alias, userId, password));
        write(all);
    }

    /** ALTER CREDENTIALSTORE REPLACE USER: the alias's user id and password; refused when the alias is unknown. */
    public void replace(String domain, String alias, String userId, String password) {
        List<Stored> all = new ArrayList<>(read());
        Stored old = find(all, domain, alias).orElseThrow(() -> unknown(domain, alias));
        checkUserId(userId);
        all.set(all.indexOf(old), new Stored(old.domain(), old.alias(), userId, password));
        write(all);
    }

    /** ALTER CREDENTIALSTORE DELETE USER: the alias's entry, which must hold {@code userId}'s user. */
    public void delete(String domain, String alias, String userId) {
        List<Stored> all = new ArrayList<>(read());
        Stored old = find(all, domain, alias).orElseThrow(() -> unknown(domain, alias));
        if (!old.userId().equalsIgnoreCase(userId) && !userOf(old.userId()).equalsIgnoreCase(userId)) {
            throw new CredentialException("The alias " + alias + " in domain " + domain + " is not user " + userId + ".");
        }
        all.remove(old);
        write(all);
    }

    /** INFO CREDENTIALSTORE: every entry without its password, by domain then alias. */
    public List<Entry> entries() {
        return read().stream().map(s -> new Entry(s.domain(), s.alias(), s.userId()))
                .sorted(Comparator.comparing(Entry::domain).thenComparing(Entry::alias)).toList();
    }

    /** USERIDALIAS alias DOMAIN domain: the login, or a CredentialException naming alias and domain only. */
    public Login login(String domain, String alias) {
        if (!exists()) {
            throw new CredentialException("USERIDALIAS " + alias + ": there is no credential store (" + file
                    + "): ADD CREDENTIALSTORE, then ALTER CREDENTIALSTORE ADD USER ... ALIAS " + alias);
        }
        Stored s = find(read(), domain, alias).orElseThrow(() -> unknown(domain, alias));
        int at = s.userId().indexOf('@');
        return new Login(s.userId().substring(0, at), s.userId().substring(at + 1), s.password());
    }

    /** A command line or parameter line with every {@code PASSWORD word} masked. */
    public static String maskPasswords(String line) {
        return line == null ? null : PASSWORD.matcher(line).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "********"));
    }

    private static void checkUserId(String userId) {
        int at = userId.indexOf('@');
        if (at <= 0 || at == userId.length() - 1) {
            throw new CredentialException("USER " + userId + " must be user@jdbcUrl (e.g. sa@jdbc:h2:file:/path/db/target)");
        }
    }

    private static String userOf(String userId) {
        int at = userId.indexOf('@');
        return at < 0 ? userId : userId.substring(0, at);
    }

    private CredentialException unknown(String domain, String alias) {
        return new CredentialException("The alias " + alias + " does not exist in domain " + domain
                + " of the credential store (INFO CREDENTIALSTORE lists them).");
    }

    private static Optional<Stored> find(List<Stored> all, String domain, String alias) {
        return all.stream().filter(s -> s.domain().equalsIgnoreCase(domain) && s.alias().equalsIgnoreCase(alias)).findFirst();
    }

    private List<Stored> read() {
        if (!exists()) throw new CredentialException("There is no credential store in ./dircrd/: ADD CREDENTIALSTORE creates it.");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() != 3 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("nonce=")
                    || !lines.get(2).startsWith("data=")) {
                throw new CredentialException("credential store " + file + " is not a redotrail credential store (version 1)");
            }
            byte[] nonce = Base64.getDecoder().decode(lines.get(1).substring(6));
            byte[] data = Base64.getDecoder().decode(lines.get(2).substring(5));
            String plain = new String(cipher(Cipher.DECRYPT_MODE, nonce).doFinal(data), StandardCharsets.UTF_8);
            List<Stored> out = new ArrayList<>();
            Base64.Decoder d = Base64.getDecoder();
            for (String l : plain.split("\n")) {
                if (l.isEmpty()) continue;
                String[] f = l.split(" ", -1);
                out.add(new Stored(text(d, f[0]), text(d, f[1]), text(d, f[2]), text(d, f[3])));
            }
            return out;
        } catch (AEADBadTagException e) {
            throw new CredentialException("credential store " + file + " cannot be decrypted with " + keyFile
                    + " (damaged, or the key is not its own)");
        } catch (GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new CredentialException("credential store " + file + " cannot be read: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credential store " + file, e);
        }
    }

    private void write(List<Stored> entries) {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder e = Base64.getEncoder();
        for (Stored s : entries) {
            sb.append(b64(e, s.domain())).append(' ').append(b64(e, s.alias())).append(' ')
                    .append(b64(e, s.userId())).append(' ').append(b64(e, s.password())).append('\n');
        }
        byte[] nonce = new byte[NONCE_BYTES];
        new SecureRandom().nextBytes(nonce); // a fresh nonce per write: GCM must never reuse one with a key
        try {
            byte[] data = cipher(Cipher.ENCRYPT_MODE, nonce).doFinal(sb.toString().getBytes(StandardCharsets.UTF_8));
            String text = HEADER + "\nnonce=" + e.encodeToString(nonce) + "\ndata=" + e.encodeToString(data) + "\n";
            ownerOnlyDir(file.getParent());
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
            ownerOnly(file);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot encrypt the credential store: " + ex.getClass().getSimpleName());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write credential store " + file, ex);
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(HEADER.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private byte[] key() {
        if (!Files.exists(keyFile)) {
            throw new CredentialException("the credential store's key " + keyFile + " is missing: the store cannot be read");
        }
        try {
            byte[] k = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
            if (k.length != 32) throw new CredentialException("key file " + keyFile + " does not hold a 256-bit key");
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + keyFile, e);
        } catch (IllegalArgumentException e) {
            throw new CredentialException("key file " + keyFile + " is not base64");
        }
    }

    private static String b64(Base64.Encoder e, String s) {
        return e.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Base64.Decoder d, String s) {
        return new String(d.decode(s), StandardCharsets.UTF_8);
    }

    private static void ownerOnlyDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's own access control applies
        }
    }

    private static void ownerOnly(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, OWNER_FILE);
        } catch (UnsupportedOperationException e) {
            // as above
        }
    }

    /** A credential-store problem the operator must fix; its message never holds a secret. */
    public static final class CredentialException extends RuntimeException {
        public CredentialException(String message) {
            super(message);
        }
    }
}
