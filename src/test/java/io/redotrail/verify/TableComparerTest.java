package io.redotrail.verify;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** TableComparer on two real H2 file databases whose column types differ but whose values are equal. */
class TableComparerTest {
    @TempDir
    Path dir;
    String src, tgt;

    @BeforeEach
    void setUp() throws SQLException {
        src = "jdbc:h2:file:" + dir.resolve("src");
        tgt = "jdbc:h2:file:" + dir.resolve("tgt");
        exec(src, "CREATE SCHEMA APP",
                "CREATE TABLE APP.ORDERS (ID INT PRIMARY KEY, NAME VARCHAR(50), PRICE DECIMAL(10,2), AT TIMESTAMP(3), NOTE CLOB)",
                "CREATE TABLE APP.LOG (MSG VARCHAR(20), N INT)");
        exec(tgt, "CREATE SCHEMA APP",
                "CREATE TABLE APP.ORDERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(80), PRICE DECIMAL(20,6), AT TIMESTAMP(9), NOTE CLOB, EXTRA INT)",
                "CREATE TABLE APP.LOG (MSG VARCHAR(20), N BIGINT)");
        for (String url : List.of(src, tgt)) {
            try (Connection c = DriverManager.getConnection(url, "sa", "");
                 PreparedStatement ps = c.prepareStatement("INSERT INTO APP.ORDERS (ID, NAME, PRICE, AT, NOTE) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 5000; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, i % 7 == 0 ? null : "名前 " + i);
                    ps.setBigDecimal(3, new java.math.BigDecimal("1.50").add(java.math.BigDecimal.valueOf(i)));
                    ps.setObject(4, java.time.LocalDateTime.of(2024, 5, 1, 12, 0).plusSeconds(i));
                    ps.setString(5, "note " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            exec(url, "INSERT INTO APP.LOG VALUES ('a', 1), ('a', 1), (NULL, 2)");
        }
    }

    static void exec(String url, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }

    TableComparer comparer() {
        return new TableComparer(src, "sa", "", tgt, "sa", "").fetchSize(100);
    }

    @Test
    void equalDatabasesCompareEqualAcrossTypeDifferences() throws Exception {
        VerifyReport r = comparer().compare(List.of("APP.ORDERS", "app.log"));
        assertTrue(r.allEqual(), r.tables().toString());
        VerifyReport.TableResult o = r.table("APP.ORDERS");
        assertEquals(5000, o.sourceCount());
        assertEquals(5000, o.targetCount());
        assertEquals(o.sourceChecksum(), o.targetChecksum());
        assertEquals(3, r.table("APP.LOG").targetCount());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Source: " + src) && text.contains("Target: " + tgt), text);
        assertTrue(text.contains("2 table(s) equal"), text);
    }

    @Test
    void reportsFirstDifferingKey() throws Exception {
        exec(tgt, "UPDATE APP.ORDERS SET PRICE = 99 WHERE ID = 4000", "DELETE FROM APP.ORDERS WHERE ID = 4500",
                "UPDATE APP.ORDERS SET NAME = 'changed' WHERE ID = 1234");
        VerifyReport.TableResult o = comparer().compare(List.of("APP.ORDERS")).table("APP.ORDERS");
        assertFalse(o.equal());
        assertEquals(4999, o.targetCount());
        assertNotEquals(o.sourceChecksum(), o.targetChecksum());
        assertTrue(o.firstDifference().startsWith("key (ID=1234): values differ"), o.firstDifference());

        exec(tgt, "UPDATE APP.ORDERS SET NAME = '名前 1234' WHERE ID = 1234", "UPDATE APP.ORDERS SET PRICE = 4001.5 WHERE ID = 4000");
        o = comparer().compare(List.of("APP.ORDERS")).table("APP.ORDERS");
        assertEquals("key (ID=4500): missing in target", o.firstDifference());

        exec(tgt, "INSERT INTO APP.ORDERS (ID, NAME, PRICE, AT, NOTE) SELECT 4500, NAME, PRICE, AT, NOTE FROM APP.ORDERS WHERE ID = 4499",
                "INSERT INTO APP.ORDERS (ID) VALUES (0)");
        o = comparer().compare(List.of("APP.ORDERS")).table("APP.ORDERS");
        assertEquals("key (ID=0): not in source (extra in target)", o.firstDifference());
    }

    /** A COLMAP naming a column the source lacks pairs nothing for its target column: the tables are not called equal. */
    @Test
    void aColMapSourceColumnTheSourceLacksIsAProblemNotASkippedPair() throws Exception {
        VerifyReport.TableResult r = comparer().compare(List.of("APP.ORDERS"),
                io.redotrail.replicat.mapping.Mapper.parse("MAP APP.ORDERS, TARGET APP.ORDERS, COLMAP (USEDEFAULTS, NAME = NAMEE)"))
                .table("APP.ORDERS");
        assertFalse(r.equal());
        assertTrue(r.firstDifference().contains("source table lacks column NAMEE (COLMAP of MAP statement 1"), r.firstDifference());
    }

    @Test
    void keylessTableAndMissingTable() throws Exception {
        exec(tgt, "DELETE FROM APP.LOG WHERE MSG = 'a' AND ROWNUM() = 1", "INSERT INTO APP.LOG VALUES ('b', 3)");
        VerifyReport r = comparer().compare(List.of("APP.LOG", "APP.NOPE"));
        assertFalse(r.table("APP.LOG").equal());
        assertEquals(3, r.table("APP.LOG").targetCount());
        assertEquals("table does not exist in the source", r.table("APP.NOPE").firstDifference());
    }
}
