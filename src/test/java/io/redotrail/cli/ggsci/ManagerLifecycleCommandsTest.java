package io.redotrail.cli.ggsci;

import io.redotrail.report.GroupLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CREATE SUBDIRS, and what START / STOP MANAGER decide without starting a JVM (the Manager started in the
 * background and stopped is {@code GgsciManagerLifecycleIT}): {@code STOP MGR!} parses as STOP MANAGER with
 * GoldenGate's {@code !}, a Manager already running (its lock held) is not started twice, a Manager that is down
 * is not asked to stop, and the Manager's command line carries the session's home, configuration and overrides.
 */
class ManagerLifecycleCommandsTest {
    @TempDir
    Path home;

    @AfterEach
    void release() {
        GroupLock.release(home, "MGR");
    }

    private GgsciOut ggsci(String command) throws Exception {
        return GgsciOut.run(home, k -> null, command);
    }

    @Test
    void startManagerHandsOverridesInAnOwnerOnlyFileNeverOnItsCommandLine() throws Exception {
        io.redotrail.runtime.Settings settings = io.redotrail.runtime.Settings.load(Path.of("config/application.properties"),
                java.util.Map.of("redotrail.home", home.toString(), "redotrail.target.password", "s3cr3t-pw"));
        List<String> options = Ggsci.managerOptions(settings);
        assertFalse(String.join(" ", options).contains("s3cr3t-pw"), options.toString());
        Path file = Path.of(options.get(options.indexOf("--set-file") + 1));
        assertTrue(Files.readString(file).contains("s3cr3t-pw"), "the override reaches the Manager through the file");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void createSubdirsMakesTheHomeAndSaysWhatExisted() throws Exception {
        Path h = home.resolve("new-home");
        home = h;
        GgsciOut first = ggsci("create subdirs");
        assertEquals(0, first.rc(), first.text());
        assertTrue(first.text().startsWith("\nCreating subdirectories under home directory " + h + "\n\n"), first.text());
        for (String d : List.of("dirprm", "dirrpt", "dirchk", "dirdat", "dirtmp", "dircrd", "dirwlt", "redo", "arch", "db", "BR")) {
            assertTrue(Files.isDirectory(h.resolve(d)), d);
            assertTrue(first.text().contains(h.resolve(d) + ": created\n"), first.text());
        }
        assertTrue(first.text().contains(String.format("%-31s%s: created%n", "Parameter files", h.resolve("dirprm"))), first.text());
        GgsciOut again = ggsci("CREATE SUBDIRS");
        assertEquals(0, again.rc());
        assertTrue(again.text().contains(h.resolve("dirdat") + ": already exists\n"), again.text());
        assertFalse(again.text().contains(": created"), again.text());
        assertEquals(1, ggsci("create subdirs now").rc());
    }

    @Test
    void stopMgrBangParsesAsStopManagerWithTheBang() {
        ParsedCommand c = ParsedCommand.parse("stop mgr!");
        assertEquals("STOP", c.verb());
        assertEquals("MANAGER", c.object());
        assertEquals("!", c.group());
        assertEquals("MANAGER", ParsedCommand.parse("STOP MANAGER !").object());
        assertEquals("!", ParsedCommand.parse("STOP MANAGER !").group());
        // after the object, a word ending in ! is a group name as typed
        assertEquals("EXT1!", ParsedCommand.parse("stop extract ext1!").group());
    }

    @Test
    void aManagerThatIsDownIsNotAskedToStop() throws Exception {
        for (String cmd : List.of("stop mgr!", "STOP MANAGER", "stop mgr !")) {
            GgsciOut o = ggsci(cmd);
            assertEquals(0, o.rc(), o.text());
            assertEquals("Manager is already stopped.\n", o.text());
        }
        assertEquals(1, ggsci("stop mgr now").rc());
    }

    @Test
    void aRunningManagerIsNotStartedTwice() throws Exception {
        GroupLock.acquire(home, "MGR");
        GroupLock.write(home, "MGR", "pid=" + ProcessHandle.current().pid() + "\nport=1\n");
        GgsciOut o = ggsci("start mgr");
        assertEquals(0, o.rc(), o.text());
        assertEquals("MGR is already running.\n", o.text());
        assertFalse(Files.exists(ManagerLaunch.output(home)), "nothing was launched");
    }

    @Test
    void theManagerGetsTheSessionsHomeConfigAndOverrides() {
        List<String> cmd = ManagerLaunch.command(List.of("--home", "/h", "--config", "/c.properties", "--set", "a.b=c d"));
        int main = cmd.indexOf("io.redotrail.cli.Main");
        assertTrue(main > 0, cmd.toString());
        assertEquals(List.of("mgr", "--home", "/h", "--config", "/c.properties", "--set", "a.b=c d"), cmd.subList(main + 1, cmd.size()));
        assertEquals(System.getProperty("java.class.path"), cmd.get(cmd.indexOf("-cp") + 1));
    }
}
