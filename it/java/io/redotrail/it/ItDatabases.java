package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Settings;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Source and target compared row for row (the project's {@code verify}), between any two databases, and a fresh
 * PostgreSQL database of a test's own. Failures print both sides.
 */
public final class ItDatabases {
    private ItDatabases() {
    }

    /** Source vs target over the tables the pump selects; asserts equal, with both sides printed on failure. */
    public static VerifyReport assertIdentical(Settings s) {
        VerifyReport r;
        try {
            r = CliAccess.compare(s);
        } catch (SQLException e) {
            throw new AssertionError("cannot compare source and target: " + e.getMessage(), e);
        }
        return assertAllEqual(r, io.redotrail.sim.SourceSchema.demo().tables().size(), "source and target");
    }

    /**
     * {@code tables} compared by {@code comparer}, between any two databases (H2 upper-case and PostgreSQL
     * lower-case names are matched); asserts every table has rows and is equal, {@code what} naming the pair.
     */
    public static VerifyReport assertTablesEqual(TableComparer comparer, List<String> tables, String what) {
        VerifyReport r;
        try {
            r = comparer.compare(tables);
        } catch (SQLException e) {
            throw new AssertionError("cannot compare " + what + ": " + e.getMessage(), e);
        }
        return assertAllEqual(r, tables.size(), what);
    }

    /** Every one of {@code n} tables compared, non-empty and equal; the report is printed, and repeated on failure. */
    private static VerifyReport assertAllEqual(VerifyReport r, int n, String what) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        r.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        String text = b.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(n, r.tables().size(), what + ": expected " + n + " tables to be compared:\n" + text);
        for (VerifyReport.TableResult t : r.tables()) {
            assertTrue(t.sourceCount() > 0, what + ": " + t.table() + " has no rows: the comparison would prove nothing\n" + text);
            assertEquals(t.sourceCount(), t.targetCount(), what + ": " + t.table() + " row counts differ\n" + text);
            assertTrue(t.equal(), what + ": " + t.table() + " differs: " + t.firstDifference() + "\n" + text);
        }
        assertTrue(r.allEqual(), what + " differ:\n" + text);
        return r;
    }

    // ---------------------------------------------------------------- PostgreSQL

    public static final String PG_BASE = System.getProperty("redotrail.test.pgBase", "jdbc:postgresql://127.0.0.1:5432/");

    /**
     * A fresh PostgreSQL database of the test's own on the local server (user postgres, trust auth), created and
     * dropped through the admin database {@code postgres}. An unreachable server fails the test, never skips it:
     * .ci/run guarantees the server.
     */
    public record PgDatabase(String name, String url) implements AutoCloseable {
        public static PgDatabase create(String prefix) {
            String name = prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            admin("CREATE DATABASE " + name);
            return new PgDatabase(name, PG_BASE + name);
        }

        /** FORCE: a connection a failed test left open must not keep the database alive. */
        @Override
        public void close() {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }

        private static void admin(String sql) {
            try (Connection c = DriverManager.getConnection(PG_BASE + "postgres", "postgres", "");
                 java.sql.Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new AssertionError("PostgreSQL at " + PG_BASE + " (user postgres): " + sql + " failed: "
                        + e.getMessage() + " (.ci/run starts the server)", e);
            }
        }
    }

}
