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

    @Test
    void systemPropertiesSettingKeysAreNotCopiedToTheChild() {
        assertTrue(ChildCommand.configProperty("-Dredotrail.target.password=x"));
        assertFalse(ChildCommand.configProperty("-Dredotrail.project.dir=/x"));
        assertFalse(ChildCommand.configProperty("-Xmx2g"));
        assertFalse(ChildCommand.configProperty("-Dfile.encoding=UTF-8"));
    }
}
