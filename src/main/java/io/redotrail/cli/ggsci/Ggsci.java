package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.core.CorruptFileException;
import io.redotrail.runtime.Settings;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * {@code bin/redotrail ggsci "info extract EXT1, showch"}: runs one GGSCI command (or, with no argument, one
 * command per line of standard input) against the home's dirchk/ and dirrpt/ and the running processes'
 * control channels. Exit code 0 when every command succeeded, 1 otherwise.
 */
public final class Ggsci {
    private final CommandRegistry registry = CommandRegistry.standard();
    private final Path home;
    private final Function<String, String> config;
    private final PrintStream out;

    public Ggsci(Path home, Function<String, String> config, PrintStream out) {
        this.home = home;
        this.config = config;
        this.out = out;
    }

    /** {@code bin/redotrail ggsci ...}: home and configuration from the user's settings. */
    public static int run(Settings settings, List<String> words) throws Exception {
        return run(settings.home(), k -> settings.has(k) ? settings.get(k) : null, words, System.in, System.out);
    }

    /** Entry point of the command line: the words after {@code ggsci} form one command; none = read stdin. */
    public static int run(Path home, Function<String, String> config, List<String> words, InputStream stdin, PrintStream out) throws Exception {
        Ggsci g = new Ggsci(home, config, out);
        if (!words.isEmpty()) return g.execute(String.join(" ", words));
        int rc = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            if (line.isBlank() || line.trim().startsWith("--")) continue;
            if (line.trim().equalsIgnoreCase("exit") || line.trim().equalsIgnoreCase("quit")) break;
            // a password typed in ALTER CREDENTIALSTORE is never echoed
            out.println("GGSCI (redotrail) " + (++n) + "> " + CredentialStore.maskPasswords(line.trim()));
            rc = Math.max(rc, g.execute(line));
        }
        return rc;
    }

    /** Runs one command line; errors are printed as {@code ERROR: ...} and give exit code 1. */
    public int execute(String line) throws Exception {
        try {
            ParsedCommand parsed = ParsedCommand.parse(line);
            GgsciContext ctx = new GgsciContext(home, config, out, System.currentTimeMillis());
            CommandRegistry.Resolved r = registry.resolve(parsed, ctx);
            return r.command().execute(r.parsed(), ctx);
        } catch (GgsciException e) {
            out.println("ERROR: " + e.getMessage());
            return 1;
        } catch (CorruptFileException e) {
            out.println("ERROR: corrupt checkpoint file " + e.getMessage());
            return 1;
        }
    }
}
