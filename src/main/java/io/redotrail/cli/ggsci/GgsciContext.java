package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What a GGSCI command may use: the runtime home (dirchk/, dirrpt/ ...), the configuration (key → value or
 * null, e.g. the replicat's checkpoint table and target JDBC URL), where to print, "now" for
 * "updated 00:00:04 ago", the session's {@code DBLOGIN} (null before one: the configuration's target), and where a
 * secret the command line left out is read from ({@link Secrets}).
 */
public record GgsciContext(Path home, Function<String, String> config, PrintStream out, long nowMillis,
                           CredentialStore.Login dbLogin, Secrets secrets) {

    /**
     * Reads a secret (a password) the user did not type on the command line: on a terminal without echo, otherwise
     * the next line of GGSCI's input. Null when there is no more input.
     */
    @FunctionalInterface
    public interface Secrets {
        Secrets NONE = prompt -> null;

        String read(String prompt) throws IOException;
    }

    public GgsciContext(Path home, Function<String, String> config, PrintStream out, long nowMillis) {
        this(home, config, out, nowMillis, null, Secrets.NONE);
    }

    public String config(String key, String def) {
        String v = config == null ? null : config.apply(key);
        return v == null ? def : v;
    }
}
