package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import io.redotrail.replicat.error.DiscardFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Replicat's start resolves a discard side file a crash left by its checkpoint table (H2), serial and parallel:
 * the side file of a group the table holds as applied goes to the discard file, that of a group it does not is
 * dropped, and the run then discards as usual. The side files are made by {@link DiscardFile#commit} interrupted
 * before its append, as a crash there leaves them.
 */
class DiscardStartRecoveryTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        java.util.Collections.reverse(open);
        for (AutoCloseable c : open) c.close();
    }

    private static final class Crash extends SQLException {
    }

    private ReplicatApplier applier(Path home, TargetDb db, boolean parallel) {
        ReplicatApplier a = new ReplicatApplier();
        a.setCamelContext(new DefaultCamelContext());
        a.setGroup("REP1");
        a.setHome(home.toString());
        a.setJdbcUrl(db.url);
        a.setUser(db.user);
        a.setPassword(db.password);
        a.setCheckpointTable(db.schema + ".CKPT");
        a.setMap("MAP SRC.*, TARGET " + db.schema + ".*");
        a.setRepError("NOTFOUND DISCARD");
        a.setGroupTransOps(1);
        if (parallel) {
            a.setParallel(true);
            a.setApplyParallelism(2);
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLeftoverSideFileIsCompletedOrDroppedAsTheCheckpointTableSays(boolean parallel) throws Exception {
        Path home = Files.createDirectories(dir.resolve(parallel ? "parallel" : "serial"));
        TargetDb db = new TargetDb(TargetDb.Kind.H2, home);
        open.add(db);
        db.sql("CREATE TABLE %S%.D (ID BIGINT PRIMARY KEY, V VARCHAR(40))");
        Transaction first = tx("1.1.1", 1000).update("SRC.D", img("ID", 7L), img("ID", 7L, "V", "ghost")).build();
        ReplicatApplier a = applier(home, db, parallel);
        a.start();
        a.process(BatchOrderTest.exchange(List.of(first), true));
        a.stop();
        Path dsc = home.resolve("dirrpt/REP1.dsc");
        Path side = home.resolve("dirrpt/REP1.dsc.pending");
        String afterFirst = Files.readString(dsc);
        assertTrue(afterFirst.contains("CSN 1000"), afterFirst);

        // a crash after the commit of the group ending with CSN 1000 (the table holds it), before its append
        DiscardFile f = new DiscardFile(dsc, "REP1");
        String committed = "record of the committed group\n*\n";
        assertThrows(Crash.class, () -> f.commit(committed, 1000, "1.1.1", () -> {
            throw new Crash();
        }));
        ReplicatApplier b = applier(home, db, parallel);
        b.start();
        assertFalse(Files.exists(side));
        assertEquals(afterFirst + committed, Files.readString(dsc), "the committed group's records are written at start");
        b.stop();

        // a crash before the commit of a group ending with CSN 2000 (the table does not hold it): it is replayed
        String uncommitted = "record of a group that did not commit\n*\n";
        DiscardFile g = new DiscardFile(dsc, "REP1"); // a later life's
        assertThrows(Crash.class, () -> g.commit(uncommitted, 2000, "1.1.2", () -> {
            throw new Crash();
        }));
        ReplicatApplier c = applier(home, db, parallel);
        c.start();
        assertFalse(Files.exists(side));
        assertEquals(afterFirst + committed, Files.readString(dsc), "an uncommitted group's records are dropped");
        Transaction second = tx("1.1.2", 2000).delete("SRC.D", img("ID", 8L, "V", "x")).build();
        c.process(BatchOrderTest.exchange(List.of(second), true));
        c.stop();
        String end = Files.readString(dsc);
        assertTrue(end.startsWith(afterFirst + committed) && end.contains("CSN 2000") && !end.contains(uncommitted), end);
        assertEquals(1, end.split("Operation type: DELETE", -1).length - 1, "the replayed group discards once");
    }
}
