package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What a GGSCI command may use: the runtime home (dirchk/, dirrpt/ ...), the configuration (key → value or
 * null, e.g. the replicat's checkpoint table and target JDBC URL), where to print, and "now" for
 * "updated 00:00:04 ago", and the session's {@code DBLOGIN} (null before one: the configuration's target).
 */
public record GgsciContext(Path home, Function<String, String> config, PrintStream out, long nowMillis, CredentialStore.Login dbLogin) {
    public GgsciContext(Path home, Function<String, String> config, PrintStream out, long nowMillis) {
        this(home, config, out, nowMillis, null);
    }

    public String config(String key, String def) {
        String v = config == null ? null : config.apply(key);
        return v == null ? def : v;
    }
}
