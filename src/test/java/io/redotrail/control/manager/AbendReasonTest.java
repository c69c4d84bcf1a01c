package io.redotrail.control.manager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reason ggserr.log gives for a group that ended without saying so: an error line, never an INFO one. */
class AbendReasonTest {
    @TempDir
    Path home;

    private String reasonAfter(String... lines) throws Exception {
        Files.createDirectories(home.resolve("dirrpt"));
        AbendReason.Marks marks = AbendReason.Marks.of(home, "PUMP1");
        Files.writeString(AbendReason.outOf(home, "PUMP1"), String.join("\n", lines) + (lines.length > 0 ? "\n" : ""),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return AbendReason.of(home, "PUMP1", marks);
    }

    @Test
    void aKilledGroupsLastInfoLineIsNotItsReason() throws Exception {
        assertEquals("no error line in dirrpt/PUMP1.out; its last line: 2026-12-07 09:36:10 INFO ReportFile - PUMP1"
                        + " INFO OGG-01052 No recovery is required for target file ./dirdat/ha000000059, at RBA 48328.",
                reasonAfter("2026-12-07 09:36:09 INFO ReportFile - PUMP1 INFO OGG-00993 EXTRACT PUMP1 started.",
                        "2026-12-07 09:36:10 INFO ReportFile - PUMP1 INFO OGG-01052 No recovery is required for target file"
                                + " ./dirdat/ha000000059, at RBA 48328."));
    }

    @Test
    void anErrorLineWithAMessageIdIsTheReason() throws Exception {
        assertEquals("2026-12-07 09:36:10 ERROR ReportFile - PUMP1 ERROR OGG-01224 connection refused",
                reasonAfter("2026-12-07 09:36:10 ERROR ReportFile - PUMP1 ERROR OGG-01224 connection refused",
                        "2026-12-07 09:36:11 INFO ReportFile - PUMP1 INFO OGG-01052 No recovery is required"));
    }

    @Test
    void theJvmsOwnEndIsTheReason() throws Exception {
        assertEquals("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
                reasonAfter("2026-12-07 09:36:09 INFO ReportFile - PUMP1 INFO OGG-00993 EXTRACT PUMP1 started.",
                        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)"));
    }

    @Test
    void nothingWritten() throws Exception {
        assertEquals("it wrote nothing to dirrpt/PUMP1.out (killed?)", reasonAfter());
    }
}
