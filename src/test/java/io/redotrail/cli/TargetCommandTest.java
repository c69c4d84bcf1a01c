package io.redotrail.cli;

import io.redotrail.sim.SourceDatabase;
import io.redotrail.replicat.TargetTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.redotrail.cli.CliTest.execute;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code target create} and {@code verify --target} against real H2 and PostgreSQL targets (PostgreSQL: a fresh
 * database of the test's own on 127.0.0.1:5432, dropped afterwards), with and without MAP statements.
 */
class TargetCommandTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String MAP = "MAP YDJK.ACCOUNT, TARGET RPT.ACCT, COLMAP (USEDEFAULTS, ACCT_ID = ID, "
            + "CSN = @GETENV('TRANSACTION', 'CSN'), ORIGIN = 'ORCL'), KEYCOLS (ACCT_ID); "
            + "MAP POS_USER9.*, TARGET SHOP.*; MAP YDJK.TRANSFER, TARGET RPT.TRANSFER, COLMAP (TRANSFER_ID = ID, AMOUNT = AMOUNT)";
    static final List<String> DEMO = List.of("POS_USER9.ORDERS", "POS_USER9.ORDER_LINE", "POS_USER9.PRODUCT", "YDJK.ACCOUNT",
            "YDJK.AUDIT_LOG", "YDJK.TRANSFER");

    @TempDir
    Path tmp;

    @Test
    void createsTheTargetTablesOnH2WithAndWithoutMapAndLeavesExistingOnesAlone() throws Exception {
        Path home = tmp.resolve("home");
        String url = "jdbc:h2:file:" + tmp.resolve("t2") + ";MAX_COMPACT_TIME=0";
        createsWithAndWithoutMap(home, url, "");
    }

    @Test
    void createsTheTargetTablesOnPostgresqlWithAndWithoutMap() throws Exception {
        String db = "rt_h1_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        pg("CREATE DATABASE " + db);
        try {
            createsWithAndWithoutMap(tmp.resolve("home"), PG + db, "postgres");
        } finally {
            pg("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private void createsWithAndWithoutMap(Path home, String url, String user) throws Exception {
        CliTest.Result first = execute("target", "create", "--home", home.toString(), "--target", url, "--user", user);
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().startsWith("Target: " + url + "\n"), first.out());
        for (String t : DEMO) assertTrue(first.out().contains("  " + t + ": created\n"), first.out());
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            TargetTables meta = new TargetTables();
            assertEquals(List.of("ORDER_ID", "LINE_NO"), meta.lookup(c, "POS_USER9.ORDER_LINE").primaryKey());
            assertEquals(List.of(), meta.lookup(c, "YDJK.AUDIT_LOG").primaryKey(), "keyless in the source, keyless here");
            assertEquals(List.of("AUDIT_LOG_RID:AUDIT_ID"), indexes(c, "YDJK", "AUDIT_LOG"), "the source's row-id index comes along");
            TargetTables.Column balance = meta.lookup(c, "YDJK.ACCOUNT").column("BALANCE");
            assertEquals(List.of(20, 4, false), List.of(balance.size(), balance.scale(), balance.nullable()), balance.toString());
        }
        CliTest.Result again = execute("target", "create", "--home", home.toString(), "--target", url, "--user", user);
        assertEquals(0, again.exit(), again.toString());
        for (String t : DEMO) assertTrue(again.out().contains("  " + t + ": exists, left as is\n"), again.out());

        CliTest.Result mapped = execute("target", "create", "--home", home.toString(), "--target", url, "--user", user, "--map", MAP);
        assertEquals(0, mapped.exit(), mapped.toString());
        assertTrue(mapped.out().contains("  RPT.ACCT (from YDJK.ACCOUNT): created\n")
                && mapped.out().contains("  SHOP.ORDER_LINE (from POS_USER9.ORDER_LINE): created\n")
                && mapped.out().contains("  RPT.TRANSFER (from YDJK.TRANSFER): created\n")
                && mapped.out().contains("  YDJK.AUDIT_LOG: not mapped by any MAP statement, no target table\n"), mapped.out());
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            TargetTables meta = new TargetTables();
            TargetTables.Table acct = meta.lookup(c, "RPT.ACCT");
            assertEquals(List.of("ACCT_ID", "CSN", "ORIGIN", "ID", "OWNER_NAME", "BALANCE", "STATUS", "OPENED_ON", "UPDATED_AT"),
                    List.copyOf(acct.columns().keySet()), "COLMAP columns first, then USEDEFAULTS' same-named ones");
            assertEquals(List.of("ACCT_ID"), acct.primaryKey(), "KEYCOLS");
            assertEquals(List.of(java.sql.Types.BIGINT, java.sql.Types.BIGINT), List.of(acct.column("ACCT_ID").sqlType(),
                    acct.column("CSN").sqlType()), "a renamed column keeps its type; the CSN is a number");
            TargetTables.Table transfer = meta.lookup(c, "RPT.TRANSFER");
            assertEquals(List.of("TRANSFER_ID", "AMOUNT"), List.copyOf(transfer.columns().keySet()), "COLMAP without USEDEFAULTS");
            assertEquals(List.of("TRANSFER_ID"), transfer.primaryKey(), "the source key, renamed");
            assertEquals(List.of("ORDER_ID", "LINE_NO"), meta.lookup(c, "SHOP.ORDER_LINE").primaryKey());
        }
        CliTest.Result mappedAgain = execute("target", "create", "--home", home.toString(), "--target", url, "--user", user, "--map", MAP);
        assertEquals(0, mappedAgain.exit(), mappedAgain.toString());
        assertTrue(mappedAgain.out().contains("  RPT.ACCT (from YDJK.ACCOUNT): exists, left as is\n")
                && !mappedAgain.out().contains("created"), mappedAgain.out());
    }

    @Test
    void aColumnWhoseTypeCannotBeDerivedIsRefusedNamingTheTable() {
        Path home = tmp.resolve("home");
        String url = "jdbc:h2:file:" + tmp.resolve("t2") + ";MAX_COMPACT_TIME=0";
        CliTest.Result r = execute("target", "create", "--home", home.toString(), "--target", url,
                "--map", "MAP YDJK.ACCOUNT, TARGET RPT.ACCT, COLMAP (USEDEFAULTS, NOTE = NULL)");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("target table RPT.ACCT (mapped from YDJK.ACCOUNT by MAP statement 1 (")
                && r.err().contains("COLMAP column NOTE = NULL: its type cannot be derived"), r.err());
    }

    @Test
    void verifyComparesTheSourceWithTheTargetNamedAndNamesTheTableThatDiffers() throws Exception {
        Path home = tmp.resolve("home");
        // a small workload in the source; no 1 MB values
        CliTest.Result sim = execute("simulate", "--home", home.toString(), "--transactions", "40", "--set", "redotrail.workload.lobRatio=0");
        assertEquals(0, sim.exit(), sim.toString());
        String url = "jdbc:h2:file:" + tmp.resolve("second") + ";MAX_COMPACT_TIME=0";
        assertEquals(0, execute("target", "create", "--home", home.toString(), "--target", url).exit());
        assertEquals(0, execute("target", "create", "--home", home.toString(), "--target", url, "--map", MAP).exit());
        try (Connection s = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
             Connection t = DriverManager.getConnection(url, "", "")) {
            for (String table : DEMO) copy(s, table, t, table, Map.of());
            // as the Replicat maps them: ACCT_ID = ID beside USEDEFAULTS' ID; CSN and ORIGIN are not compared
            copy(s, "YDJK.ACCOUNT", t, "RPT.ACCT", Map.of("ID", List.of("ACCT_ID", "ID")));
            for (String table : List.of("ORDERS", "ORDER_LINE", "PRODUCT")) copy(s, "POS_USER9." + table, t, "SHOP." + table, Map.of());
            copy(s, "YDJK.TRANSFER", t, "RPT.TRANSFER", Map.of("ID", List.of("TRANSFER_ID")));
        }

        CliTest.Result equal = execute("verify", "--home", home.toString(), "--target", url);
        assertEquals(0, equal.exit(), equal.toString());
        assertTrue(equal.out().contains("Target: " + url + "\n") && equal.out().contains("6 table(s) equal"), equal.out());

        // the mapped copy: YDJK.AUDIT_LOG has no MAP statement, the rest compare under their target names
        CliTest.Result mapped = execute("verify", "--home", home.toString(), "--target", url, "--map", MAP);
        assertEquals(1, mapped.exit(), mapped.toString());
        assertTrue(mapped.out().contains("YDJK.ACCOUNT -> RPT.ACCT") && mapped.out().contains("1 of 6 table(s) differ")
                && mapped.out().contains("first difference: not mapped by any MAP statement"), mapped.out());
        String noAudit = MAP + "; MAP YDJK.AUDIT_LOG, TARGET YDJK.AUDIT_LOG";
        CliTest.Result mappedEqual = execute("verify", "--home", home.toString(), "--target", url, "--map", noAudit);
        assertEquals(0, mappedEqual.exit(), mappedEqual.toString());

        try (Connection t = DriverManager.getConnection(url, "", ""); Statement st = t.createStatement()) {
            st.executeUpdate("UPDATE RPT.ACCT SET OWNER_NAME = 'changed' WHERE ACCT_ID = (SELECT MAX(ACCT_ID) FROM RPT.ACCT)");
            st.executeUpdate("DELETE FROM YDJK.TRANSFER WHERE ID = (SELECT MIN(ID) FROM YDJK.TRANSFER)");
        }
        CliTest.Result differs = execute("verify", "--home", home.toString(), "--target", url);
        assertEquals(1, differs.exit(), differs.toString());
        assertTrue(differs.out().lines().anyMatch(l -> l.startsWith("YDJK.TRANSFER ") && l.endsWith("DIFFERENT"))
                && differs.out().contains(": missing in target") && differs.out().contains("1 of 6 table(s) differ"), differs.out());
        // one misspelled owner among the TABLE patterns would leave that owner's tables out of the comparison
        CliTest.Result misspelled = execute("verify", "--home", home.toString(), "--target", url, "--set",
                "redotrail.pump.tables=YDJK.*; POS_USR9.*");
        assertEquals(2, misspelled.exit(), misspelled.toString());
        assertTrue(misspelled.err().contains("redotrail.pump.tables") && misspelled.err().contains("pattern POS_USR9.* selects none"
                + " of the source tables [") && misspelled.err().contains("POS_USER9.ORDERS"), misspelled.err());
        CliTest.Result mappedDiffers = execute("verify", "--home", home.toString(), "--target", url, "--map", noAudit);
        assertEquals(1, mappedDiffers.exit(), mappedDiffers.toString());
        assertTrue(mappedDiffers.out().lines().anyMatch(l -> l.startsWith("YDJK.ACCOUNT -> RPT.ACCT ") && l.endsWith("DIFFERENT"))
                && mappedDiffers.out().contains("values differ") && mappedDiffers.out().contains("1 of 6 table(s) differ"),
                mappedDiffers.out());
    }

    /** Copies the source table's rows into the target table, column {@code c} into {@code names.get(c)} (default: itself). */
    private static void copy(Connection s, String from, Connection t, String to, Map<String, List<String>> names) throws SQLException {
        TargetTables.Table src = new TargetTables().lookup(s, from), tgt = new TargetTables().lookup(t, to);
        List<String> read = new ArrayList<>(), write = new ArrayList<>();
        for (String c : src.columns().keySet()) {
            for (String n : names.getOrDefault(c, List.of(c))) {
                if (tgt.column(n) == null) continue;
                read.add(c);
                write.add(n);
            }
        }
        String sql = "INSERT INTO " + to + " (" + String.join(", ", write) + ") VALUES ("
                + String.join(", ", write.stream().map(c -> "?").toList()) + ")";
        try (Statement st = s.createStatement(); ResultSet rs = st.executeQuery("SELECT " + String.join(", ", read) + " FROM " + from);
             PreparedStatement ps = t.prepareStatement(sql)) {
            while (rs.next()) {
                for (int i = 0; i < read.size(); i++) ps.setObject(i + 1, rs.getObject(i + 1));
                ps.executeUpdate();
            }
        }
    }

    /** Non-unique indexes as NAME:COLUMN, upper case, whatever case the database keeps them in. */
    private static List<String> indexes(Connection c, String schema, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        boolean pg = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        try (ResultSet rs = c.getMetaData().getIndexInfo(null, pg ? schema.toLowerCase() : schema, pg ? table.toLowerCase() : table, false, true)) {
            while (rs.next()) {
                if (rs.getBoolean("NON_UNIQUE") && rs.getString("COLUMN_NAME") != null) {
                    out.add((rs.getString("INDEX_NAME") + ":" + rs.getString("COLUMN_NAME")).toUpperCase());
                }
            }
        }
        return out;
    }

    private static void pg(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + "test", "postgres", ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
