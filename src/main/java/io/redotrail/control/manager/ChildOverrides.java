package io.redotrail.control.manager;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration overrides the Manager was started with ({@code --set K=V}, {@code -Dredotrail.K=V}), handed to
 * the groups it starts through a file, never their command line: a value may be a password
 * ({@code redotrail.target.password}) and any user of the machine can read a process's arguments ({@code ps}).
 * On disk: {@code <home>/dirtmp/MGR.overrides}, a {@link Properties} file readable by the owner only (0600, created
 * so before a byte is written, then moved in place); a child reads it with {@code process --set-file F}. Rewritten
 * at each Manager start. Stateless.
 */
public final class ChildOverrides {
    private ChildOverrides() {
    }

    /** The file of a home. */
    public static Path file(Path home) {
        return home.resolve("dirtmp").resolve(Manager.PID_GROUP + ".overrides");
    }

    /** Writes {@code overrides} owner-only; the file's path. */
    public static Path write(Path home, Map<String, String> overrides) {
        Path f = file(home);
        try {
            Files.createDirectories(f.getParent());
            Properties p = new Properties();
            p.putAll(overrides);
            StringWriter text = new StringWriter();
            p.store(text, "the Manager's configuration overrides for its groups (process --set-file); owner-only");
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text.toString(), StandardCharsets.ISO_8859_1);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
