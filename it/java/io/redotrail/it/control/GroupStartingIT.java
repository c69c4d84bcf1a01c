package io.redotrail.it.control;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.it.ItSupport;
import io.redotrail.it.ItJvms;
import io.redotrail.report.GroupStatus;
import io.redotrail.report.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STARTING between a START and the group's route being up, with the real Manager and the real group process (a
 * pump whose source trail does not exist yet: it waits, answering STATS), each in its own JVM, GGSCI in JVMs of
 * its own: from the Manager's START reply on the group is never STOPPED; it is STARTING at first (the Manager's
 * {@code dirchk/<G>.starting}, then the child's own starting record under its lock), in GroupStatus, the Manager's
 * INFO reply and GGSCI's INFO; the first RUNNING seen is answered at once by the group's control channel (STATS).
 */
class GroupStartingIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path home;

    private ItJvms.Cli ggsci(String command) throws Exception {
        return ItJvms.ggsci(home, Duration.ofSeconds(300), command);
    }

    private String ok(String command) throws Exception {
        return ItJvms.ggsciOk(home, Duration.ofSeconds(300), command);
    }

    private GroupStatus status() {
        return GroupStatus.of(home, "PUMST", new CheckpointFile(CheckpointFile.extractFile(home, "PUMST")).read().orElse(null));
    }

    @Test
    void startingUntilTheControlChannelAnswersNeverStopped() throws Exception {
        ManagerJvm.writeMgrPrm(home, "PORT " + ManagerJvm.freePort() + "\n");
        ok("add extract pumst, exttrailsource ./dirdat/ex");
        ok("add rmttrail ./dirdat/st, extract pumst, megabytes 50");
        Files.writeString(home.resolve("dirprm/pumst.prm"), "EXTRACT pumst\nPASSTHRU\nRMTTRAIL ./dirdat/st\nTABLE YDJK.*;\n");
        try (ManagerJvm m = ManagerJvm.start(home, "GroupStartingIT", false)) {
            assertEquals("STOPPED", status().status());
            assertEquals("EXTRACT PUMST starting", m.send("START PUMST").strip()); // what GGSCI's START sends
            // the child JVM was spawned a moment ago: its route cannot be up yet
            GroupStatus first = status();
            assertEquals("STARTING", first.status(), first.toString());
            String info = m.send("INFO PUMST").strip();
            assertTrue(info.startsWith("EXTRACT PUMST is STARTING"), info);
            CompletableFuture<String> ggsciInfo = CompletableFuture.supplyAsync(() -> {
                try {
                    return ggsci("info all").output();
                } catch (Exception e) {
                    return e.toString();
                }
            });

            List<String> seen = new ArrayList<>(List.of(first.status()));
            String[] statsReply = {null};
            ItSupport.await("PUMST RUNNING", WAIT, () -> {
                GroupStatus st = status();
                if (!seen.get(seen.size() - 1).equals(st.status())) seen.add(st.status());
                assertTrue(st.live(), "after START, before RUNNING: " + seen);
                if (!st.running()) return false;
                // RUNNING: the control channel answers now, not later
                int port = PidFile.controlPort(home, "PUMST").orElseThrow(() -> new AssertionError("RUNNING without dirchk/PUMST.ctl"));
                try {
                    statsReply[0] = ManagerJvm.send(port, "STATS");
                } catch (java.io.IOException e) {
                    throw new AssertionError("RUNNING but STATS is not answered: " + e, e);
                }
                return true;
            }, () -> "seen " + seen + "; " + status());
            assertEquals(List.of("STARTING", "RUNNING"), seen);
            assertTrue(statsReply[0].contains("No active extraction maps."), statsReply[0]);

            String all = ggsciInfo.join();
            assertTrue(all.contains("EXTRACT     STARTING    PUMST") || all.contains("EXTRACT     RUNNING     PUMST"), all);
            assertTrue(m.send("INFO PUMST").strip().startsWith("EXTRACT PUMST is RUNNING (Process ID "));
            assertTrue(ok("info all").contains("EXTRACT     RUNNING     PUMST"));
            assertTrue(ok("stats pumst").contains("No active extraction maps."));
            assertEquals(0, m.terminate(WAIT));
        }
        assertEquals("STOPPED", status().status());
        assertFalse(Files.exists(home.resolve("dirchk/PUMST.starting")), "the Manager clears its mark when the child exits");
    }
}
