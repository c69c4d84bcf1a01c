package io.redotrail.cli.ggsci;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What a GGSCI command may use: the runtime home (dirchk/, dirrpt/ ...), the configuration (key → value or
 * null, e.g. the replicat's checkpoint table and target JDBC URL), where to print, and "now" for
 * "updated 00:00:04 ago".
 */
public record GgsciContext(Path home, Function<String, String> config, PrintStream out, long nowMillis) {

    public String config(String key, String def) {
        String v = config == null ? null : config.apply(key);
        return v == null ? def : v;
    }
}
