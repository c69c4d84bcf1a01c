package io.redotrail.runtime;

import io.redotrail.report.GroupLock;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class GroupLocksTest {
    @TempDir
    Path home;

    private Settings settings(String... kv) {
        Map<String, String> o = new java.util.HashMap<>(Map.of("redotrail.home", home.toString()));
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        return Settings.load(Path.of("config/application.properties"), o);
    }

    @Test
    void theGroupsAreThoseOfTheSelectedRouteFilesWithPlaceholdersResolved() {
        assertEquals(Map.of("EXT1", "EXTRACT", "PUMP1", "EXTRACT", "REP1", "REPLICAT"), GroupLocks.groups(settings(), null));
        assertEquals(Map.of("PUMP1", "EXTRACT"), GroupLocks.groups(settings(), "file:routes/pump.yaml"));
        assertEquals(Map.of("XR9", "REPLICAT"), GroupLocks.groups(settings("redotrail.replicat.group", "xr9"), "file:routes/replicat.yaml"));
    }

    @Test
    void routesMadeFromTemplatesAreLockedUnderTheirGroupFromAnyFileThatIsLoaded() throws Exception {
        assertEquals(Map.of("EXT1", "EXTRACT", "PUMP1", "EXTRACT", "REP1", "REPLICAT", "REP2", "REPLICAT"),
                GroupLocks.groups(settings(), "file:routes/*.yaml,file:routes/examples/two-replicats.yaml"));
        // the template in one file, a parameter's default and a configuration key in the other
        Path dir = Files.createDirectories(home.resolve("r"));
        Files.writeString(dir.resolve("a.yaml"), """
                - routeTemplate:
                    id: rep
                    parameters:
                      - name: g
                        defaultValue: "{{redotrail.replicat.group}}x"
                    from:
                      uri: "trail:/t/dirdat/ha?group={{g}}&positionStore=#{{b}}"
                      steps:
                        - to: "trail:/t/dirdat/zz?group={{ g }}"
                """);
        Files.writeString(dir.resolve("b.yaml"), """
                - templatedRoute:
                    routeTemplateRef: rep
                - templatedRoute:
                    routeTemplateRef: rep
                    parameters:
                      - name: g
                        value: p9
                - templatedRoute:
                    routeTemplateRef: nosuch
                """);
        assertEquals(Map.of("REP1X", "REPLICAT", "P9", "REPLICAT"), GroupLocks.groups(settings(), "file:" + dir + "/*.yaml"));
    }

    @Test
    void aGroupWhoseRouteNeverStartedGetsItsPreviousRecordBack() {
        new PidFile(42, "EXTRACT", 7, true, "missing redo").write(PidFile.pathOf(home, "EXT1"));
        try (GroupLocks locks = GroupLocks.take(settings(), null)) {
            assertTrue(GroupLock.heldHere(home, "EXT1") && GroupLock.heldHere(home, "REP1"));
            assertEquals(java.util.List.of("REP1"), locks.groupsOf("REPLICAT"));
            PidFile starting = PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), starting.pid());
            assertFalse(starting.abended(), "starting, not the last run's abend");
        }
        assertFalse(GroupLock.held(home, "EXT1"));
        PidFile back = PidFile.read(PidFile.pathOf(home, "EXT1")).orElseThrow();
        assertEquals(42, back.pid());
        assertTrue(back.abended());
        assertTrue(PidFile.read(PidFile.pathOf(home, "REP1")).isEmpty(), "no record before, none after");
        assertTrue(Files.exists(PidFile.pathOf(home, "REP1")));
    }
}
