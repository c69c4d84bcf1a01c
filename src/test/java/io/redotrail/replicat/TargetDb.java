package io.redotrail.replicat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A real target database for one test: H2 (file database in the test's temp folder) or PostgreSQL
 * ({@code 127.0.0.1:5432/test}, user postgres, overridable with -Dredotrail.test.pgUrl), each with a unique
 * schema that {@link #close} drops. DDL is written with {@code %TS%}, {@code %BIN%}, {@code %BLOB%}, {@code %CLOB%}
 * placeholders for the few types that differ.
 */
final class TargetDb implements AutoCloseable {
    enum Kind { H2, POSTGRESQL }

    static final String PG_URL = System.getProperty("redotrail.test.pgUrl", "jdbc:postgresql://127.0.0.1:5432/test");

    final Kind kind;
    final String url;
    final String user;
    final String password;
    /** Unique upper-case schema name, e.g. RT_3F2A9C01. */
    final String schema;

    TargetDb(Kind kind, Path dir) throws SQLException {
        this.kind = kind;
        this.schema = "RT_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
        if (kind == Kind.H2) {
            url = "jdbc:h2:file:" + dir.resolve("target") + ";DB_CLOSE_DELAY=-1";
            user = "sa";
            password = "";
        } else {
            url = PG_URL;
            user = "postgres";
            password = "";
        }
        sql("CREATE SCHEMA " + schema);
    }

    /**
     * A serial Replicat of group REP1 on this target in {@code ctx}, home {@code home}, checkpoint table
     * {@code <schema>.CHECKPOINT}, writing its .cpr file at every commit and retrying without a pause.
     */
    ReplicatApplier applier(org.apache.camel.CamelContext ctx, Path home) {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("rep1");
        a.setHome(home.toString());
        a.setJdbcUrl(url);
        a.setUser(user);
        a.setPassword(password);
        a.setCheckpointTable(schema + ".CHECKPOINT");
        a.setFileCheckpointMillis(0);
        a.setRetryDelayMillis(1);
        return a;
    }

    /** schema + "." + table */
    String t(String table) {
        return schema + "." + table;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    String ddl(String s) {
        boolean h2 = kind == Kind.H2;
        return s.replace("%S%", schema)
                .replace("%TS%", h2 ? "TIMESTAMP(9)" : "TIMESTAMP(6)")
                .replace("%BIN%", h2 ? "VARBINARY(100)" : "BYTEA")
                .replace("%BLOB%", h2 ? "BLOB" : "BYTEA")
                .replace("%CLOB%", h2 ? "CLOB" : "TEXT");
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String q : statements) s.execute(ddl(q));
        }
    }

    List<List<Object>> rows(String query) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ddl(query))) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof java.sql.Clob) v = rs.getString(i);
                    if (v instanceof java.sql.Blob) v = rs.getBytes(i);
                    if (v instanceof Integer k) v = k.longValue(); // H2 INT vs PG int4: compare as long
                    r.add(v);
                }
                out.add(r);
            }
        }
        return out;
    }

    long count(String table) throws SQLException {
        return ((Number) rows("SELECT COUNT(*) FROM " + t(table)).get(0).get(0)).longValue();
    }

    @Override
    public void close() throws SQLException {
        if (kind == Kind.H2) {
            sql("SHUTDOWN");
        } else {
            sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
