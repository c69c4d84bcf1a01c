package io.redotrail.scenario;

import io.redotrail.core.RowChange;
import io.redotrail.core.Xid;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoLogReader;
import io.redotrail.scenario.Step.Literal;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptedSourceTest {
    @TempDir
    Path home;

    private ScriptedSource open(SourceSchema schema, int threads) {
        return new ScriptedSource(home, schema, threads, t -> RedoLogConfig.defaults(home, t, "ORCL").withLogSize(1024 * 1024),
                Clock.systemUTC(), n -> true);
    }

    private static Map<String, Literal> row(Object... kv) {
        Map<String, Literal> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v == null ? new Literal(Literal.Kind.NULL, "NULL")
                    : v instanceof String s ? new Literal(Literal.Kind.STRING, s) : new Literal(Literal.Kind.NUMBER, v.toString()));
        }
        return m;
    }

    private SourceSchema schema() {
        TableDef t = ScriptParser.parse(Path.of("x"), "redotrail-scenario 1\ncreate table MY.OBJ (ID NUMBER(10) PRIMARY KEY, NAME VARCHAR2(20) NOT NULL)\n")
                .get(0).cmd() instanceof Step.CreateTable ct ? ct.table() : null;
        List<TableDef> all = new ArrayList<>(SourceSchema.demo().tables());
        all.add(t);
        return new SourceSchema(all);
    }

    @Test
    void committedChangesReachTheSourceRolledBackOnesDoNot() throws Exception {
        try (ScriptedSource s = open(schema(), 2)) {
            s.begin("A", 1);
            s.begin("B", 2);
            s.insert("A", "YDJK.ACCOUNT", row("ID", 1, "OWNER_NAME", "李小龍", "BALANCE", "12.3400", "STATUS", "OPEN"));
            s.insertRows("B", "MY.OBJ", 1000);
            assertThrows(IllegalArgumentException.class, () -> s.update("B", "YDJK.ACCOUNT", row("BALANCE", 1), row("ID", 1)),
                    "row locked by A");
            s.update("A", "YDJK.ACCOUNT", row("BALANCE", "13.5"), row("ID", 1));
            long csnB = s.commit("B");
            long csnA = s.commit("A");
            assertTrue(csnA > csnB);
            s.delete("C", "MY.OBJ", row("ID", 5));
            s.rollback("C");
            assertThrows(IllegalArgumentException.class, () -> s.commit("C"), "ended");
            assertThrows(IllegalArgumentException.class,
                    () -> s.insert("D", "YDJK.ACCOUNT", row("ID", 1, "OWNER_NAME", "x", "BALANCE", 1, "STATUS", "OPEN")));
            assertEquals(2, s.firstRecord("B").thread());
        }
        try (Connection c = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
             Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM MY.OBJ");
            rs.next();
            assertEquals(1000, rs.getLong(1));
            rs = st.executeQuery("SELECT BALANCE, OWNER_NAME FROM YDJK.ACCOUNT WHERE ID = 1");
            rs.next();
            assertEquals(0, new BigDecimal("13.5").compareTo(rs.getBigDecimal(1)));
            assertEquals("李小龍", rs.getString(2));
        }
    }

    @Test
    void scnsIncreaseAcrossThreadsAndRunsAndXidsAreUnique() {
        long last;
        Set<Xid> xids = new HashSet<>();
        try (ScriptedSource s = open(schema(), 2)) {
            for (int i = 0; i < 20; i++) {
                String tx = "T" + i;
                s.begin(tx, 1 + i % 2);
                s.insertRows(tx, "MY.OBJ", 3);
                assertTrue(xids.add(s.xid(tx)));
                if (i % 3 == 0) s.rollback(tx);
                else s.commit(tx);
                if (i == 10) s.switchLogFile(null);
            }
            last = s.lastScn();
            assertEquals(20 * 4, last);
        }
        try (ScriptedSource s = open(schema(), 2)) {
            assertEquals(last, s.lastScn(), "SCNs resume after the redo already written");
            s.insertRows("X", "MY.OBJ", 1);
            assertNotEquals(null, s.xid("X"));
            assertTrue(xids.add(s.xid("X")));
            assertEquals(last + 1, s.xid("X").sqn(), "XID sequence = SCN of the first change, as the generator does");
            s.commit("X");
        }
    }
}
