package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.core.CorruptFileException;
import io.redotrail.runtime.Settings;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code bin/redotrail ggsci --home H ["info extract EXT1, showch"]}: runs one GGSCI command given as arguments,
 * or the commands of standard input, one per line, each echoed after GoldenGate's numbered prompt
 * {@code GGSCI (host) 1> }; on a terminal, an interactive prompt with line editing and history
 * ({@link InteractiveConsole}). Blank lines and {@code --} comments are skipped, {@code EXIT} / {@code QUIT} end
 * the session, {@code OBEY file} runs a file's commands ({@link ObeyCommand}). Keywords are case-insensitive.
 * Exit code 0 when every command succeeded, 1 otherwise. One instance per session, used by one thread.
 */
public final class Ggsci {
    private final CommandRegistry registry = CommandRegistry.standard();
    private final Path home;
    private final Function<String, String> config;
    private final PrintStream out;
    private final String host;
    private int number;
    private CredentialStore.Login dbLogin;
    private GgsciContext.Secrets secrets = GgsciContext.Secrets.NONE;

    public Ggsci(Path home, Function<String, String> config, PrintStream out) {
        this(home, config, out, List.of("--home", home.toAbsolutePath().normalize().toString()));
    }

    /**
     * {@code managerOptions}: what START MANAGER starts the Manager with, {@code --home H [--config C] [--set K=V]...}
     * (this session's own, so the Manager and its groups read the same configuration).
     */
    public Ggsci(Path home, Function<String, String> config, PrintStream out, List<String> managerOptions) {
        this(home, config, out, constant(List.copyOf(managerOptions)));
    }

    private static java.util.function.Supplier<List<String>> constant(List<String> options) {
        return () -> options;
    }

    /** As above, with the options made when START MANAGER runs (they may write the overrides file). */
    Ggsci(Path home, Function<String, String> config, PrintStream out, java.util.function.Supplier<List<String>> managerOptions) {
        this.home = home;
        this.config = config;
        this.out = out;
        this.host = hostName();
        java.util.function.Supplier<List<String>> mgrOptions = managerOptions;
        registry.register(new ObeyCommand(this));
        registry.register(new DbLoginCommand(this));
        registry.register(new StartManagerCommand(mgrOptions));
        registry.register(new StopManagerCommand(System::console));
    }

    /**
     * The {@code --home} and {@code --config} options of {@code settings} for the Manager, and its {@code --set}
     * overrides as {@code --set-file} of the owner-only file the Manager hands its groups
     * ({@link io.redotrail.control.manager.ChildOverrides}): never on a command line, where {@code ps} shows a password.
     * Called when START MANAGER runs, so other commands leave the file of the running Manager alone.
     */
    static List<String> managerOptions(Settings settings) {
        List<String> o = new java.util.ArrayList<>(List.of("--home", settings.home().toString(),
                "--config", settings.file().toAbsolutePath().normalize().toString()));
        java.util.Map<String, String> overrides = new java.util.TreeMap<>(settings.overrides());
        overrides.remove("redotrail.home");
        if (!overrides.isEmpty()) {
            o.addAll(List.of("--set-file", io.redotrail.control.manager.ChildOverrides.write(settings.home(), overrides).toString()));
        }
        return o;
    }

    /** {@code bin/redotrail ggsci ...}: home and configuration from the user's settings. */
    public static int run(Settings settings, List<String> words) throws Exception {
        Function<String, String> config = k -> settings.has(k) ? settings.get(k) : null;
        if (words.isEmpty() && System.console() != null) { // stdin and stdout are a terminal
            return new InteractiveConsole(new Ggsci(settings.home(), config, System.out, () -> managerOptions(settings)), settings.home()).run();
        }
        return run(new Ggsci(settings.home(), config, System.out, () -> managerOptions(settings)), words, System.in);
    }

    /** Entry point of the command line: the words after {@code ggsci} form one command; none = read stdin. */
    public static int run(Path home, Function<String, String> config, List<String> words, InputStream stdin, PrintStream out) throws Exception {
        return run(new Ggsci(home, config, out), words, stdin);
    }

    private static int run(Ggsci g, List<String> words, InputStream stdin) throws Exception {
        PrintStream out = g.out;
        if (!words.isEmpty()) return g.execute(String.join(" ", words));
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        // a password left out of ALTER CREDENTIALSTORE is the next line of input, never echoed
        g.secrets(prompt -> in.readLine());
        int rc = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (skipped(line)) continue;
            // a password typed in ALTER CREDENTIALSTORE is never echoed
            out.println(g.nextPrompt() + CredentialStore.maskPasswords(line.trim()));
            if (ends(line)) break;
            rc = Math.max(rc, g.execute(line));
        }
        return rc;
    }

    /** DBLOGIN: the database the session's database commands without a group use from now on. */
    void dbLogin(CredentialStore.Login login) {
        this.dbLogin = login;
    }

    /** GoldenGate's prompt with the next command number: {@code GGSCI (host) 3> }; the number is used up. */
    String nextPrompt() {
        String p = prompt();
        number++;
        return p;
    }

    /** The prompt for the next command, the number not used up yet (an empty line at the terminal keeps it). */
    String prompt() {
        return "GGSCI (" + host + ") " + (number + 1) + "> ";
    }

    /** Blank lines and {@code --} comment lines are not commands. */
    static boolean skipped(String line) {
        return line.isBlank() || line.trim().startsWith("--");
    }

    /** EXIT or QUIT. */
    static boolean ends(String line) {
        String w = line.trim().toUpperCase(Locale.ROOT);
        return w.equals("EXIT") || w.equals("QUIT");
    }

    /** Where a password left out of a command is read from (the terminal without echo, or the next input line). */
    void secrets(GgsciContext.Secrets secrets) {
        this.secrets = secrets;
    }

    /**
     * Runs one command line; errors are printed as {@code ERROR: ...} and give exit code 1. Any exception of one
     * command (an unreadable file, a database that refuses) ends that command only, not the session.
     */
    public int execute(String line) {
        try {
            ParsedCommand parsed = ParsedCommand.parse(line);
            GgsciContext ctx = new GgsciContext(home, config, out, System.currentTimeMillis(), dbLogin, secrets);
            CommandRegistry.Resolved r = registry.resolve(parsed, ctx);
            return r.command().execute(r.parsed(), ctx);
        } catch (GgsciException e) {
            out.println("ERROR: " + e.getMessage());
            return 1;
        } catch (CorruptFileException e) {
            out.println("ERROR: corrupt checkpoint file " + e.getMessage());
            return 1;
        } catch (io.redotrail.control.params.ParamException e) {
            out.println("ERROR: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            // IOException, SQLException, UncheckedIOException ...: this command failed, the session goes on
            out.println("ERROR: " + CredentialStore.maskPasswords(describe(e)));
            return 1;
        }
    }

    /** The exception's message, with its kind and cause when they say more (a bare "Connection refused"). */
    static String describe(Throwable e) {
        String msg = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c != e && c.getMessage() != null && (e.getMessage() == null || !e.getMessage().contains(c.getMessage()))) {
            msg += " (" + c.getMessage() + ")";
        }
        return msg;
    }

    PrintStream out() {
        return out;
    }

    Path home() {
        return home;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
