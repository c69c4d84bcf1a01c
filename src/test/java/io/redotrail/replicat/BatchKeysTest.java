package io.redotrail.replicat;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.CamelContext;
import io.redotrail.core.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * BATCHSQL and the unique keys PostgreSQL reports through DatabaseMetaData.getIndexInfo: an INCLUDE column is
 * not part of the unique key, and an expression index names no column. Either way a reordered batch must not
 * break the constraint (the group would be rolled back and replayed one operation at a time).
 */
class BatchKeysTest {
    // per test (JUnit makes an instance per test): each test\'s group state is its own
    final CamelContext ctx = new DefaultCamelContext();
    @TempDir
    Path dir;
    TargetDb db;
    ReplicatApplier applier;

    @AfterEach
    void tearDown() throws Exception {
        if (applier != null) applier.stop();
        if (db != null) db.close();
    }

    ReplicatApplier applier() {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(ctx);
        a.setGroup("REP1");
        a.setHome(dir.toString());
        a.setJdbcUrl(db.url);
        a.setUser(db.user);
        a.setPassword(db.password);
        a.setCheckpointTable(db.schema + ".CHECKPOINT");
        a.start();
        return a;
    }

    @Test
    void includeColumnsAreNotPartOfAPostgresqlUniqueKey() throws Exception {
        db = new TargetDb(TargetDb.Kind.POSTGRESQL, dir);
        db.sql("CREATE TABLE %S%.I (ID BIGINT PRIMARY KEY, CODE VARCHAR(10), V VARCHAR(10))",
                "CREATE UNIQUE INDEX I_CODE ON %S%.I (CODE) INCLUDE (V)",
                "INSERT INTO %S%.I VALUES (1, 'a', 'v')");
        try (Connection c = db.connect()) {
            assertEquals(List.of(List.of("CODE")), new TargetTables().lookup(c, db.t("I")).uniqueKeys(),
                    "the unique key is CODE; V is only carried in the index");
        }
        String t = db.t("I");
        applier = applier();
        Transaction t0 = tx("1.1.1", 101).insert(t, img("ID", 5L, "CODE", "m", "V", "v")).build();
        // frees CODE 'a' ...
        Transaction t1 = tx("1.1.2", 102).update(t, img("ID", 1L, "CODE", "a", "V", "v"), img("ID", 1L, "CODE", "b", "V", "v")).build();
        // ... which another row then takes: must run after t1 although its (CODE, V) differs
        Transaction t2 = tx("1.1.3", 103).insert(t, img("ID", 2L, "CODE", "a", "V", "w")).build();
        applier.process(BatchOrderTest.exchange(List.of(t0, t1, t2), true));
        assertEquals(0, applier.getCounters().replays, "a reordered batch broke the unique key: " + applier.getCounters());
        assertEquals("[[1, b, v], [2, a, w], [5, m, v]]", db.rows("SELECT ID, CODE, V FROM %S%.I ORDER BY ID").toString());
    }

    @Test
    void updatesKeepTrailOrderOnATableWithAPostgresqlExpressionUniqueIndex() throws Exception {
        db = new TargetDb(TargetDb.Kind.POSTGRESQL, dir);
        db.sql("CREATE TABLE %S%.E (ID BIGINT PRIMARY KEY, NAME VARCHAR(20), V VARCHAR(20))",
                "CREATE UNIQUE INDEX E_NAME ON %S%.E (lower(NAME))",
                "INSERT INTO %S%.E VALUES (1, 'Bob', 'v'), (2, 'x', 'v'), (3, 'z', 'v')");
        String t = db.t("E");
        applier = applier();
        // partial images (key + changed columns): t0 and t2 share a statement shape, t1 has another
        Transaction t0 = tx("1.1.1", 101).update(t, img("ID", 3L), img("ID", 3L, "NAME", "y", "V", "w")).build();
        Transaction t1 = tx("1.1.2", 102).update(t, img("ID", 1L), img("ID", 1L, "NAME", "Carl")).build();
        Transaction t2 = tx("1.1.3", 103).update(t, img("ID", 2L), img("ID", 2L, "NAME", "BOB", "V", "w")).build();
        applier.process(BatchOrderTest.exchange(List.of(t0, t1, t2), true));
        assertEquals(0, applier.getCounters().replays, "a reordered batch broke lower(NAME): " + applier.getCounters());
        assertEquals("[[1, Carl, v], [2, BOB, w], [3, y, w]]", db.rows("SELECT ID, NAME, V FROM %S%.E ORDER BY ID").toString());
    }

    /**
     * Two source tables consolidated into one target table, one of them with KEYCOLS: their statements list the
     * target's keys differently (KEYCOLS comes before the unique keys), yet a unique value is the same row key.
     */
    @ParameterizedTest
    @EnumSource(TargetDb.Kind.class)
    void consolidatedTablesWithDifferentKeyColsShareUniqueKeys(TargetDb.Kind kind) throws Exception {
        db = new TargetDb(kind, dir);
        db.sql("CREATE TABLE %S%.T (ID BIGINT PRIMARY KEY, CODE VARCHAR(10) NOT NULL, U BIGINT UNIQUE, V VARCHAR(10))",
                "INSERT INTO %S%.T VALUES (1, 'c1', 5, 'v')");
        String s = db.schema;
        applier = new ReplicatApplier();
        applier.setCamelContext(ctx);
        applier.setGroup("REP1");
        applier.setHome(dir.toString());
        applier.setJdbcUrl(db.url);
        applier.setUser(db.user);
        applier.setPassword(db.password);
        applier.setCheckpointTable(s + ".CHECKPOINT");
        applier.setMap("MAP SRC.EU, TARGET " + s + ".T; MAP SRC.US, TARGET " + s + ".T, KEYCOLS (CODE)");
        applier.start();
        Transaction t0 = tx("1.1.1", 101).insert("SRC.EU", img("ID", 7L, "CODE", "c7", "U", 70L, "V", "v")).build();
        // US frees U 5 ...
        Transaction t1 = tx("1.1.2", 102).update("SRC.US", img("ID", 1L, "CODE", "c1", "U", 5L, "V", "v"),
                img("ID", 1L, "CODE", "c1", "U", 6L, "V", "v")).build();
        // ... and EU takes it
        Transaction t2 = tx("1.1.3", 103).insert("SRC.EU", img("ID", 2L, "CODE", "c2", "U", 5L, "V", "w")).build();
        applier.process(BatchOrderTest.exchange(List.of(t0, t1, t2), true));
        assertEquals(0, applier.getCounters().replays, "a reordered batch broke UNIQUE (U): " + applier.getCounters());
        assertEquals("[[1, 6], [2, 5], [7, 70]]", db.rows("SELECT ID, U FROM %S%.T ORDER BY ID").toString());
    }
}
