package io.redotrail.report;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SEND g, STATUS: the group's own line (a parallel Replicat's appliers) follows the status line while it is set. */
class GroupStatusTextTest {
    @TempDir
    Path home;

    @Test
    void theGroupsOwnLineFollowsTheStatusWhileSet() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            GroupRuntime rt = GroupRuntimes.of(ctx, home, "REP1");
            int[] appliers = {3};
            rt.statusDetail(() -> "Appliers: " + appliers[0] + " (tuned between MIN_APPLY_PARALLELISM 1 and MAX_APPLY_PARALLELISM 4, 0 step(s))");
            String text = GroupStatusText.status(rt, "REPLICAT", false);
            assertTrue(text.startsWith("REPLICAT REP1 (PID ") && text.contains("  Current status: ")
                    && text.contains("\n  Appliers: 3 (tuned between MIN_APPLY_PARALLELISM 1 and MAX_APPLY_PARALLELISM 4, 0 step(s))\n"), text);
            appliers[0] = 2;
            assertTrue(GroupStatusText.status(rt, "REPLICAT", false).contains("  Appliers: 2 ("), "read when asked");
            rt.statusDetail(null);
            assertFalse(GroupStatusText.status(rt, "REPLICAT", false).contains("Appliers:"));
        }
    }
}
