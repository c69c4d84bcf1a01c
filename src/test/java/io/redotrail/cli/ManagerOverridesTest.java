package io.redotrail.cli;

import io.redotrail.control.manager.ChildCommand;
import io.redotrail.control.manager.ChildOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Manager's {@code --set} overrides reach its groups through an owner-only file, never their command line
 * (which {@code ps} shows to every user): the child's command holds {@code --set-file}, the file is 0600 and a
 * {@code process} reading it has the same configuration.
 */
class ManagerOverridesTest {
    private static final String SECRET = "S3cret;with spaces=and=equals";

    @TempDir
    Path home;

    @Test
    void overridesTravelInAnOwnerOnlyFileNotOnTheChildsCommandLine() throws Exception {
        ManagerCommand mgr = new ManagerCommand();
        new CommandLine(mgr).parseArgs("--home", home.toString(), "--set", "redotrail.target.password=" + SECRET,
                "--set", "redotrail.reportCount=EVERY 5 SECONDS");
        List<String> cmd = ChildCommand.ofThisJvm(ChildCommand.MAIN, mgr.childOptions()).command("REP1", List.of());
        assertTrue(cmd.stream().noneMatch(a -> a.contains("S3cret") || a.contains("--set=") || a.equals("--set")), cmd.toString());
        Path f = ChildOverrides.file(home);
        assertEquals(f.toString(), cmd.get(cmd.indexOf("--set-file") + 1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

        // the child's side: process --set-file F reads the same values
        ProcessCommand child = new ProcessCommand();
        new CommandLine(child).parseArgs("--home", home.toString(), "--set-file", f.toString(), "--set", "redotrail.reportCount=", "REP1");
        var settings = child.common.load();
        assertEquals(SECRET, settings.get("redotrail.target.password"));
        assertEquals("", settings.get("redotrail.reportCount"), "--set wins over --set-file");
        assertTrue(settings.where("redotrail.target.password").startsWith("--set-file "), settings.where("redotrail.target.password"));
    }

    /**
     * GGSCI's START MANAGER starts the Manager with --set-file (its session's --set): the Manager hands those on to
     * its groups with its own --set over them. Other GGSCI commands leave the running Manager's file alone.
     */
    @Test
    void overridesGgsciStartedTheManagerWithReachItsGroups() throws Exception {
        Path config = Files.writeString(home.resolve("app.properties"), "redotrail.home = " + home + "\n");
        Path f = ChildOverrides.file(home);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "redotrail.target.jdbcUrl=jdbc\\:postgresql\\://127.0.0.1\\:5432/test\nredotrail.target.user=postgres\n");
        ManagerCommand mgr = new ManagerCommand();
        new CommandLine(mgr).parseArgs("--home", home.toString(), "--config", config.toString(), "--set-file", f.toString(),
                "--set", "redotrail.target.user=app");
        List<String> cmd = ChildCommand.ofThisJvm(ChildCommand.MAIN, mgr.childOptions()).command("REP1", List.of());
        ProcessCommand child = new ProcessCommand();
        new CommandLine(child).parseArgs("--home", home.toString(), "--set-file", cmd.get(cmd.indexOf("--set-file") + 1), "REP1");
        var settings = child.common.load();
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test", settings.get("redotrail.target.jdbcUrl"));
        assertEquals("app", settings.get("redotrail.target.user"), "the Manager's own --set over GGSCI's");

        String before = Files.readString(f);
        assertEquals(0, Main.execute(new String[]{"ggsci", "--home", home.toString(), "--config", config.toString(),
                "--set", "redotrail.target.user=other", "info all"}));
        assertEquals(before, Files.readString(f), "INFO ALL rewrote the running Manager's overrides file");
    }

    @Test
    void systemPropertiesSettingKeysAreNotCopiedToTheChild() {
        assertTrue(ChildCommand.configProperty("-Dredotrail.target.password=x"));
        assertFalse(ChildCommand.configProperty("-Dredotrail.project.dir=/x"));
        assertFalse(ChildCommand.configProperty("-Xmx2g"));
        assertFalse(ChildCommand.configProperty("-Dfile.encoding=UTF-8"));
    }
}
