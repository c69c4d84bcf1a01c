package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.ReplicatApplier;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redotrail.it.ItSupport.*;
import static io.redotrail.it.ItDatabases.*;
import static io.redotrail.it.ItJvms.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * routes/examples/two-replicats.yaml as a user enables it: loaded beside routes/*.yaml through
 * camel.main.routes-include-pattern, REP1 applies the remote trail to the default H2 target and REP2, made from
 * the same "replicat" route template, applies the same trail to a fresh PostgreSQL database of the test's own
 * (dropped after) whose tables were created before the run. Two workloads, each followed by a run of the whole
 * pipeline until both Replicats applied its last commit, so the second run resumes REP2 from its own checkpoint
 * row: after each, both targets equal the source and each checkpoint table holds only its own group's row.
 */
class TwoReplicatsIT {
    static final String EXAMPLE = "file:routes/examples/two-replicats.yaml";
    static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    static Path home;
    static PgDatabase pg;
    /** The pipeline with the example loaded. */
    static Settings both;
    /** REP2's view: its target and group, for the checkpoint row and the comparison. */
    static Settings rep2;
    static long lastCsn;
    /** REP2's MAP: the default of redotrail.rep2.map in the example, read from it so the two cannot drift apart. */
    static final String REP2_MAP = exampleMapDefault();
    static int startupOrder1, startupOrder2;
    static String group1, group2, map2;

    @BeforeAll
    static void replicateTwoWorkloadsWithBothReplicats() {
        pg = PgDatabase.create("rt_rep2_");
        both = settings(home, "camel.main.routes-include-pattern", "file:routes/*.yaml," + EXAMPLE,
                "redotrail.rep2.jdbcUrl", pg.url());
        rep2 = settings(home, "redotrail.target.jdbcUrl", pg.url(), "redotrail.target.user", "postgres",
                "redotrail.target.password", "", "redotrail.replicat.group", "REP2");
        // the home with its source (and the default H2 target), then REP2's tables the way a user makes them
        CliAccess.prepareHome(both);
        Cli created = execute("target", "create", "--home", home.toString(), "--target", pg.url(), "--user", "postgres",
                "--map", REP2_MAP);
        assertEquals(0, created.exitCode(), "target create:\n" + created.output());
        for (int round = 1; round <= 2; round++) {
            lastCsn = play(both, 1500, 4242 + round).lastSelectedCsn();
            Pipeline started;
            try (Pipeline p = Pipeline.start(both)) {
                started = p;
                CamelContext ctx = p.context();
                startupOrder1 = ctx.getRoute("replicat").getStartupOrder();
                startupOrder2 = ctx.getRoute("replicat2").getStartupOrder();
                group1 = p.bean("replicat", ReplicatApplier.class).getGroup();
                group2 = p.bean("replicat2", ReplicatApplier.class).getGroup();
                map2 = p.bean("replicat2", ReplicatApplier.class).getMap();
                awaitApplied(p, both, lastCsn, CATCH_UP);
                awaitApplied(p, rep2, lastCsn, CATCH_UP);
            }
            assertTrue(started.abends().isEmpty(), "abends: " + abendMessages(started));
        }
    }

    private static String exampleMapDefault() {
        try {
            Matcher m = Pattern.compile("\\{\\{redotrail\\.rep2\\.map:([^}]+)}}")
                    .matcher(Files.readString(Path.of(EXAMPLE.substring("file:".length()))));
            assertTrue(m.find(), EXAMPLE + " has no {{redotrail.rep2.map:...}} placeholder");
            return m.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void dropDatabase() {
        if (pg != null) pg.close();
    }

    @Test
    void theExampleAddsASecondRouteFromTheSameTemplateWithItsOwnGroupAndStartupOrder() {
        assertEquals("REP1", group1);
        assertEquals("REP2", group2);
        assertEquals(10, startupOrder1);
        assertEquals(11, startupOrder2, "a template parameter, unique per route");
        assertEquals(REP2_MAP, map2, "redotrail.rep2.map unset: the example's default");
        assertTrue(Files.isRegularFile(home.resolve("dirchk/REP1.cpr")) && Files.isRegularFile(home.resolve("dirchk/REP2.cpr")));
    }

    @Test
    void bothTargetsEqualTheSource() throws SQLException {
        try (Connection c = target(rep2)) {
            assertEquals("PostgreSQL", c.getMetaData().getDatabaseProductName());
        }
        Cli verify = execute("verify", "--home", home.toString());
        assertEquals(0, verify.exitCode(), "verify of the default (H2) target:\n" + verify.output());
        Cli verify2 = execute("verify", "--home", home.toString(), "--target", pg.url(), "--user", "postgres", "--map", REP2_MAP);
        assertEquals(0, verify2.exitCode(), "verify of REP2's PostgreSQL target:\n" + verify2.output());
        assertTrue(verify2.output().contains(pg.url()), verify2.output());
        assertIdentical(both);
        assertIdentical(rep2);
    }

    @Test
    void eachTargetHoldsOnlyItsOwnGroupsCheckpointRowAtTheLastCommit() throws SQLException {
        for (Settings s : List.of(both, rep2)) {
            String mine = s.get("redotrail.replicat.group"), other = mine.equals("REP1") ? "REP2" : "REP1";
            CheckpointTable table = new CheckpointTable(s.get("redotrail.replicat.checkpointTable"), s.get("redotrail.home"));
            try (Connection c = target(s)) {
                Optional<CheckpointTable.Row> row = table.read(c, mine);
                assertTrue(row.isPresent(), mine + " has no row in " + s.get("redotrail.target.jdbcUrl"));
                assertEquals(lastCsn, row.get().logCsn().value(), mine + ": LOG_CSN = last commit");
                assertTrue(table.read(c, other).isEmpty(), other + " has a row in " + mine + "'s target");
            }
        }
    }
}
