package io.redotrail.bench;

import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.sim.SourceSchema;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, empty target with the demo schema that a benchmark applies into and then drops: an H2 file database
 * {@code <home>/db/<name>}, or a PostgreSQL database of its own ({@code rt_bench_<random>}, so that runs and
 * tests never share one) on the server {@code pgBase} (a JDBC URL a database name is appended to). Immutable.
 */
final class BenchTarget {
    /** The kinds of target a bench applies into, by the names {@code --target} takes and the reports print. */
    enum Kind {
        H2("H2"), POSTGRESQL("PostgreSQL");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        /** {@code h2} or {@code postgresql} (any case), as {@code --target} takes it. */
        static Kind of(String name) {
            for (Kind k : values()) if (k.name().equalsIgnoreCase(name) || k.label.equalsIgnoreCase(name)) return k;
            throw new IllegalArgumentException("unknown target '" + name + "': h2 or postgresql");
        }
    }

    final Kind kind;
    final String url, user;
    private final String adminUrl, pgName;
    private final Path h2File;

    private BenchTarget(Kind kind, String url, String user, String adminUrl, String pgName, Path h2File) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.adminUrl = adminUrl;
        this.pgName = pgName;
        this.h2File = h2File;
    }

    /**
     * The settings part ({@code ;KEY=VALUE...}) of the configured target URL when it is an H2 file URL, else empty: what
     * the Replicat's H2 target runs with, for the plain apply measured against it.
     */
    static String h2Options(String configuredUrl) {
        if (configuredUrl == null || !configuredUrl.startsWith("jdbc:h2:file:")) return "";
        int semi = configuredUrl.indexOf(';');
        return semi < 0 ? "" : configuredUrl.substring(semi);
    }

    /** Creates the empty target and the demo schema in it. {@code name} names the H2 file; PostgreSQL gets a random name. */
    static BenchTarget fresh(Kind kind, Path home, String name, String pgBase, String pgUser) throws SQLException {
        return fresh(kind, home, name, pgBase, pgUser, "");
    }

    /**
     * {@link #fresh(Kind, Path, String, String, String)} with {@code h2Options} after an H2 file URL (e.g.
     * {@code ;MAX_COMPACT_TIME=0;WRITE_DELAY=0}): a limit measured into H2 runs with the configured target's settings,
     * WRITE_DELAY above all (each commit written before it returns, or up to 500 ms later).
     */
    static BenchTarget fresh(Kind kind, Path home, String name, String pgBase, String pgUser, String h2Options) throws SQLException {
        BenchTarget t;
        if (kind == Kind.H2) {
            Path f = home.resolve("db").resolve(name);
            try {
                BenchHome.deleteDb(f.getParent(), name);
            } catch (java.io.IOException e) {
                throw new SQLException("cannot delete the old bench target " + f + ": " + e.getMessage(), e);
            }
            t = new BenchTarget(kind, "jdbc:h2:file:" + f + h2Options, "sa", null, null, f);
        } else {
            if (pgBase == null) throw new IllegalArgumentException("a PostgreSQL target needs a server URL");
            String db = "rt_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            try (Connection c = DriverManager.getConnection(pgBase + "test", pgUser, ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            }
            t = new BenchTarget(kind, pgBase + db, pgUser, pgBase + "test", db, null);
        }
        try (Connection c = t.connect(); Statement s = c.createStatement()) {
            for (String sql : SourceSchema.demo().createStatements()) s.execute(sql);
        }
        if (t.pgName != null) checkpoint(t.adminUrl, t.user);
        return t;
    }

    /**
     * PostgreSQL's CHECKPOINT after a database is created or dropped: the server writes the pages of the
     * copy or of the stage before now, not during the next measured stage (its background writes had slowed the
     * extract stage that followed a PostgreSQL stage, which fsyncs the trail on the same disk). Needs a superuser
     * (or pg_checkpoint); without one the bench says so and goes on.
     */
    private static void checkpoint(String adminUrl, String user) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, ""); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            System.err.println("bench: CHECKPOINT refused (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + "): the server's background writes may overlap the next stage");
        }
    }

    /**
     * A connection with the Replicat's driver options ({@link io.redotrail.core.Jdbc#forBatches}: PostgreSQL
     * rewrites a batch of INSERTs into multi-row INSERTs), so that a plain apply is not slower for want of them.
     */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(io.redotrail.core.Jdbc.forBatches(url), user, "");
    }

    /**
     * A Replicat of {@code group} (home {@code home}, the default checkpoint table, GROUPTRANSOPS {@code groupTransOps})
     * applying into this target; the caller sets the rest and its CamelContext.
     */
    ReplicatApplier replicat(Path home, String group, int groupTransOps) {
        ReplicatApplier r = new ReplicatApplier();
        r.setGroup(group);
        r.setHome(home.toString());
        r.setJdbcUrl(url);
        r.setUser(user);
        r.setPassword("");
        r.setGroupTransOps(groupTransOps);
        return r;
    }

    /**
     * Checks that every demo table holds exactly the source's rows (count, checksum and row by row, by
     * {@link TableComparer}); fails naming {@code what} and the tables that differ.
     */
    void requireEqualTo(String sourceUrl, String what) throws SQLException {
        List<String> tables = SourceSchema.demo().tables().stream().map(t -> t.name()).toList();
        VerifyReport r = new TableComparer(sourceUrl, "sa", "", url, user, "").compare(tables);
        if (!r.allEqual()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            r.print(new PrintStream(b, true, StandardCharsets.UTF_8));
            throw new IllegalStateException(String.format(Locale.ROOT, "%s did not produce the source's rows in %s:%n%s",
                    what, url, b.toString(StandardCharsets.UTF_8)));
        }
    }

    void drop() throws Exception {
        if (pgName != null) {
            try (Connection c = DriverManager.getConnection(adminUrl, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
            }
            checkpoint(adminUrl, user);
        } else {
            BenchHome.deleteDb(h2File.getParent(), h2File.getFileName().toString());
        }
    }
}
