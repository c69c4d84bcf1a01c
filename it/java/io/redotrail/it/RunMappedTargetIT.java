package io.redotrail.it;

import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} with README's renaming MAP on a fresh home (its own JVM): it creates the mapped target tables, as
 * {@code target create} does, and none under the source names; the Replicat applies into them and {@code verify}
 * compares each source table with its mapped target. A second {@code run} creates nothing and says nothing about it.
 */
class RunMappedTargetIT {
    static final String MAP = "MAP YDJK.*, TARGET RPT.*; MAP POS_USER9.*, TARGET SHOP.*";

    @TempDir
    Path home;

    @Test
    void runCreatesTheMappedTargetTablesAndVerifyComparesThem() throws Exception {
        Settings s = settings(home, "redotrail.replicat.map", MAP);
        Path log = home.resolve("run.log");
        Process run = startRunJvm(home, log, "redotrail.replicat.map=" + MAP);
        try {
            // the Replicat holds the embedded target before this JVM opens it (README, "H2 limits")
            assertTrue(awaitLogCount(log, "Group REP1 (REPLICAT) reading trail", 1, Duration.ofSeconds(120)), "REP1 did not start; see " + log);
            String out = Files.readString(log);
            assertTrue(out.contains("Target: " + s.get("redotrail.target.jdbcUrl") + "\n")
                    && out.contains("  RPT.ACCOUNT (from YDJK.ACCOUNT): created\n")
                    && out.contains("  SHOP.ORDER_LINE (from POS_USER9.ORDER_LINE): created\n"), out);
            assertEquals(List.of("RPT", "SHOP"), targetSchemas(s), "target schemas with tables: the mapped ones only");

            long last = play(s, 200, 11).lastSelectedCsn();
            awaitApplied(s, last, Duration.ofSeconds(120));
            Cli verify = execute("verify", "--home", home.toString(), "--set", "redotrail.replicat.map=" + MAP);
            assertEquals(0, verify.exitCode(), verify.output());
            for (String t : List.of("YDJK.ACCOUNT -> RPT.ACCOUNT", "YDJK.AUDIT_LOG -> RPT.AUDIT_LOG", "POS_USER9.ORDERS -> SHOP.ORDERS")) {
                assertTrue(verify.output().lines().anyMatch(l -> l.startsWith(t + " ") && l.endsWith("EQUAL")), t + ":\n" + verify.output());
            }
            assertTrue(verify.output().contains("6 table(s) equal"), verify.output());
        } finally {
            run.destroy();
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "no stop on SIGTERM; see " + log);
        }
        assertEquals(0, run.exitValue(), "exit code after SIGTERM; see " + log);

        // the tables exist now: a second run neither creates nor lists them
        Path again = home.resolve("run-again.log");
        long last = play(s, 50, 12).lastSelectedCsn();
        runUntilApplied(home, s, again, last, "redotrail.replicat.map=" + MAP);
        String out = Files.readString(again);
        assertFalse(out.contains("Target: ") || out.contains("exists, left as is") || out.contains("): created\n"), out);
        assertEquals(List.of("RPT", "SHOP"), targetSchemas(s));
        assertIdentical(s);
    }

    /** The target's schemas that hold tables, GGADMIN (the checkpoint table) and the system's left out. */
    private static List<String> targetSchemas(Settings s) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = target(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA NOT IN"
                     + " ('INFORMATION_SCHEMA', 'GGADMIN') ORDER BY 1")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
