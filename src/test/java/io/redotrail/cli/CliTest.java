package io.redotrail.cli;

import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user meets it, through {@link Main#execute}: help, refusals, --set, completion. */
class CliTest {
    /** Every command path of bin/redotrail. */
    static final List<String> COMMANDS = List.of("demo", "simulate", "run", "verify", "bench", "bench replicat", "bench link", "bench extract", "ggsci", "logdump", "mgr", "scenario", "archive",
            "archive list", "archive delete", "target", "target create", "keygen", "completion");

    record Result(int exit, String out, String err) {
    }

    static Result execute(String... argv) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.execute(argv);
            System.out.flush();
            System.err.flush();
            return new Result(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String[] argv(String command, String... more) {
        List<String> a = new ArrayList<>(List.of(command.split(" ")));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void everyCommandPrintsItsUsageOnHelpAndExits0() {
        for (String c : COMMANDS) {
            for (String h : List.of("--help", "-h")) {
                Result r = execute(argv(c, h));
                assertEquals(0, r.exit(), c + " " + h + ": " + r);
                assertTrue(r.out().startsWith("usage: redotrail " + c + " "), c + " " + h + ": " + r.out());
                assertEquals("", r.err(), c + " " + h);
            }
        }
        Result help = execute("help", "verify");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("usage: redotrail verify") && help.out().contains("--target=URL"), help.out());
        Result none = execute();
        assertEquals(0, none.exit());
        for (String c : List.of("demo", "target", "completion")) assertTrue(none.out().contains("\n  " + c + " "), none.out());
    }

    @Test
    void anUnknownOptionIsRefusedWithOneLineAndTheUsage() {
        for (String c : COMMANDS) {
            // with the arguments a command requires, so that the unknown option is the only fault
            Result r = execute(c.equals("scenario") ? argv(c, "a.scn", "--bogus")
                    : c.equals("archive delete") ? argv(c, "--upto", "1", "--bogus")
                    : c.equals("keygen") ? argv(c, "256", "k1", "--bogus") : argv(c, "--bogus"));
            assertEquals(2, r.exit(), c + ": " + r);
            String[] lines = r.err().split("\n");
            assertEquals("redotrail: Unknown option: '--bogus'", lines[0], c + ": " + r.err());
            assertTrue(lines[1].startsWith("usage: redotrail " + c + " "), c + ": " + r.err());
            assertEquals("", r.out(), c);
        }
        Result unknown = execute("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("frobnicate") && unknown.err().contains("usage: redotrail "), unknown.err());
    }

    @Test
    void aStrayArgumentIsRefused() {
        // ggsci takes its command's words, logdump its commands and scenario one FILE: for them a second word is not stray
        for (String c : COMMANDS) {
            if (c.equals("ggsci") || c.equals("logdump") || c.equals("archive") || c.equals("target")) continue;
            String[] a = c.equals("scenario") ? argv(c, "a.scn", "stray")
                    : c.equals("archive delete") ? argv(c, "--upto", "1", "stray") : argv(c, "stray");
            Result r = execute(a);
            assertEquals(2, r.exit(), c + ": " + r);
            assertTrue(r.err().startsWith("redotrail: ") && r.err().contains("'stray'"), c + ": " + r.err());
            assertTrue(r.err().contains("usage: redotrail " + c + " "), c + ": " + r.err());
        }
        for (String c : List.of("archive", "target")) {
            Result r = execute(c, "stray");
            assertEquals(2, r.exit(), c + ": " + r);
            assertTrue(r.err().contains("'stray'") && r.err().contains("usage: redotrail " + c), r.err());
        }
        Result missing = execute("archive", "delete", "--upto");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--upto") && missing.err().contains("usage: redotrail archive delete"), missing.err());
        Result both = execute("archive", "delete", "--upto", "3", "--sequence", "2");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Result notANumber = execute("simulate", "--transactions", "many");
        assertEquals(2, notANumber.exit());
        assertTrue(notANumber.err().contains("--transactions") && notANumber.err().contains("many"), notANumber.err());
    }

    /** run -h used to be taken as an option with a value and start the pipeline; now it starts nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "--bogus", "stray"})
    void runWithHelpOrBadUsageStartsNothing(String arg, @TempDir Path tmp) {
        Path home = tmp.resolve("home");
        Result r = execute("run", "--home", home.toString(), arg);
        assertEquals(List.of("-h", "--help").contains(arg) ? 0 : 2, r.exit(), r.toString());
        assertFalse(r.out().contains("running with home"), r.out());
        assertFalse(Files.exists(home), "run " + arg + " touched the home: " + home);
    }

    /** A route file Camel refuses stops run before the home's source and the target's tables are made. */
    @Test
    void runWithARouteFileCamelRefusesCreatesNoTables(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("home");
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        for (String f : List.of("extract.yaml", "pump.yaml", "target-datasource.yaml")) {
            Files.copy(Path.of("routes", f), routes.resolve(f));
        }
        String replicat = Files.readString(Path.of("routes/replicat.yaml"));
        assertTrue(replicat.contains("      from:"), "the shipped replicat route changed shape");
        Files.writeString(routes.resolve("replicat.yaml"), replicat.replace("      from:", "      frm:"));
        Result r = execute("run", "--home", home.toString(), "--set", "camel.main.routes-include-pattern=file:" + routes + "/*.yaml");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("Unsupported field: frm") && r.err().contains("replicat.yaml"), r.err());
        assertFalse(r.out().contains(": created"), r.out());
        assertFalse(Files.exists(home.resolve("db")), "run made the source and target databases before its routes loaded");
    }

    /** bench replicat deletes its home: a directory it did not make is refused and left as it is; misplaced options too. */
    @Test
    void benchReplicatRefusesAHomeItDidNotMakeAndMisplacedOptions(@TempDir Path tmp) throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("keep.txt"), "user data");
        Result r = execute("bench", "replicat", "--home", mine.toString(), "--transactions", "1", "--no-pg");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing to wipe it") && r.err().contains(mine.toString()), r.err());
        assertEquals("user data", Files.readString(mine.resolve("keep.txt")));
        try (var files = Files.list(mine)) {
            assertEquals(1, files.count(), "bench replicat wrote into a home it refused");
        }

        Path scratch = tmp.resolve("scratch");
        Result before = execute("bench", "--home", scratch.toString(), "replicat");
        assertEquals(2, before.exit(), before.toString());
        assertTrue(before.err().contains("go after 'replicat'") && before.err().contains("--home"), before.err());
        Result both = execute("bench", "replicat", "--home", scratch.toString(), "--no-pg", "--pg", "jdbc:postgresql://127.0.0.1:5432/");
        assertEquals(2, both.exit(), both.toString());
        assertTrue(both.err().contains("--pg and --no-pg"), both.err());
        assertFalse(Files.exists(scratch), "a refused bench replicat touched its home");
    }

    @Test
    void setReachesSettingsWithSpacesAndSemicolonsAndNamesItsSource() {
        String map = "MAP YDJK.ACCOUNT, TARGET RPT.ACCT, COLMAP (USEDEFAULTS, ACCT_ID = ID); MAP POS_USER9.*, TARGET SHOP.*";
        var parsed = Main.commandLine().parseArgs("verify", "--set", "redotrail.replicat.map=" + map,
                "--set", "redotrail.replicat.groupTransOps=50");
        VerifyCommand verify = (VerifyCommand) parsed.subcommand().commandSpec().userObject();
        Settings s = verify.common.settings(); // checked as every command checks it: the MAP parses
        assertEquals(map, s.get("redotrail.replicat.map"));
        assertEquals("--set", s.where("redotrail.replicat.map"));
        assertEquals(50, s.getInt("redotrail.replicat.groupTransOps", 0));
        assertEquals(map, s.overrides().get("redotrail.replicat.map"), "what run passes on to Camel Main");
        assertEquals(2, TargetSetup.configuredMapper(s).statements().size());

        // through the whole command: a bad value is refused naming --set, before anything runs
        Result bad = execute("verify", "--set", "redotrail.replicat.map=MAP YDJK.*, TARGET X.*; MAP NOTHING");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().startsWith("redotrail: --set: key 'redotrail.replicat.map' = 'MAP YDJK.*, TARGET X.*; MAP NOTHING': "),
                bad.err());
        Result typo = execute("verify", "--set", "redotrail.replicat.grouptransops=5");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("--set: unknown key 'redotrail.replicat.grouptransops' (nearest valid key: "
                + "'redotrail.replicat.groupTransOps')"), typo.err());
        Result noValue = execute("verify", "--set", "redotrail.replicat.map");
        assertEquals(2, noValue.exit());
        assertTrue(noValue.err().contains("KEY=VALUE"), noValue.err());
    }

    @Test
    void completionPrintsABashScriptThatCompletesCommandsAndOptions(@TempDir Path tmp) throws Exception {
        Result r = execute("completion");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("complete -F _complete_redotrail"), r.out());
        for (String c : COMMANDS) assertTrue(r.out().contains("(" + c + ")"), "no subcommand " + c + " in the script");
        Path script = Files.writeString(tmp.resolve("redotrail.bash"), r.out());
        assertEquals(List.of("target"), complete(script, "redotrail", "ta"));
        assertEquals(List.of("--target"), complete(script, "redotrail", "verify", "--targ"));
        assertEquals(List.of("create"), complete(script, "redotrail", "target", "cr"));
    }

    /** What bash completes the last word to, with the script sourced. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String cmd = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_redotrail 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void keygenAddsOwnerOnlyKeysWithoutPrintingThemAndNeverReplacesOne(@TempDir Path tmp) throws Exception {
        Result r = execute("keygen", "--home", tmp.toString(), "256", "k1", "k2");
        assertEquals(0, r.exit(), r.toString());
        Path f = tmp.resolve("ENCKEYS");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        List<String> keys = Files.readAllLines(f).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(2, keys.size(), keys.toString());
        for (String line : keys) {
            String hex = line.split("\\s+")[1];
            assertEquals(66, hex.length(), line);
            assertFalse(r.out().contains(hex.substring(2)), "key printed: " + r.out());
        }
        assertEquals(java.util.Set.of("k1", "k2"), io.redotrail.trail.crypto.TrailKeys.load(f).names());
        Result again = execute("keygen", "--home", tmp.toString(), "128", "K1");
        assertEquals(2, again.exit(), again.toString());
        assertTrue(again.err().contains("already in"), again.err());
        assertEquals(3, Files.readAllLines(f).size(), "nothing appended");
        assertEquals(2, execute("keygen", "--home", tmp.toString(), "100", "k3").exit());
    }
}
