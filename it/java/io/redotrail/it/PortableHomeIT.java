package io.redotrail.it;

import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Portable homes (issue 9, item 5): a home copied while stopped is independent of the original. {@code archive
 * delete} in the copy deletes the copy's archived log, not the original's; the copy, then moved to another
 * folder, resumes where the original stopped and reaches target = source; and nothing of the original home
 * changes meanwhile.
 */
class PortableHomeIT {
    @TempDir
    Path dir;

    @Test
    void aCopiedAndMovedHomeWorksOnItsOwnFilesOnly() throws Exception {
        Path original = dir.resolve("original");
        String[] small = {"redotrail.redo.logSizeMb", "1", "redotrail.workload.lobRatio", "0"};
        Settings s = settings(original, small);
        long last = play(s, 3000, 21).lastSelectedCsn();
        run(original, s, last);
        Map<String, String> before = snapshot(original);
        assertTrue(before.containsKey("arch/1_1.arc"), "the workload switched logs: " + before.keySet());

        Path copy = dir.resolve("copy");
        copyTree(original, copy);
        Cli deleted = execute("archive", "delete", "--sequence", "1", "--home", copy.toString());
        assertEquals(0, deleted.exitCode(), deleted.output());
        assertFalse(Files.exists(copy.resolve("arch/1_1.arc")), "the copy's archived log is deleted");
        assertTrue(Files.exists(original.resolve("arch/1_1.arc")), "the original's archived log is untouched");
        assertTrue(execute("archive", "list", "--home", original.toString()).output().contains("ARCHIVED"));

        Path moved = dir.resolve("elsewhere/moved");
        Files.createDirectories(moved.getParent());
        Files.move(copy, moved);
        Settings m = settings(moved, small);
        long more = play(m, 500, 22).lastSelectedCsn();
        run(moved, m, more);
        assertIdentical(m);
        String info = execute("ggsci", "--home", moved.toString(), "info extract PUMP1, showch").output();
        assertTrue(info.contains("./dirdat/ha") && !info.contains(original.toString()), info);
        assertEquals(before, snapshot(original), "files of the original home changed");
    }

    private static void run(Path home, Settings s, long csn) throws Exception {
        runUntilApplied(home, s, home.resolveSibling(home.getFileName() + "-run.log"), csn,
                "redotrail.redo.logSizeMb=1", "redotrail.workload.lobRatio=0");
    }

    /** Size and modification time of every file the pipeline keeps (redo, archive, trails, checkpoints, BR). */
    private static Map<String, String> snapshot(Path home) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String d : List.of("redo", "arch", "dirdat", "dirchk", "BR")) {
            Path sub = home.resolve(d);
            if (!Files.isDirectory(sub)) continue;
            try (var s = Files.walk(sub)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    out.put(home.relativize(f).toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
                }
            }
        }
        return out;
    }
}
