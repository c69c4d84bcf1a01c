package io.redotrail.replicat;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Replicat tests on a real target share: a scratch directory, the target database a test opens
 * ({@link TargetDb}, H2 or PostgreSQL) and every Replicat it starts; after each test the Replicats are stopped
 * before the database is closed (a running applier would hold its connection).
 */
abstract class ReplicatTargetFixture {
    final List<ReplicatApplier> appliers = new ArrayList<>();
    // per test (JUnit makes an instance per test): each test's group state is its own
    final CamelContext ctx = new DefaultCamelContext();
    @TempDir
    Path dir;
    TargetDb db;

    /** Opens a {@code kind} target holding {@code ddl} (in {@link TargetDb}'s placeholders) and the checkpoint table. */
    void openTarget(TargetDb.Kind kind, String... ddl) throws Exception {
        db = new TargetDb(kind, dir);
        db.sql(ddl);
        try (var c = db.connect()) {
            new CheckpointTable(db.schema + ".CHECKPOINT").create(c);
        }
    }

    /** A Replicat on {@link #db} in {@link #ctx}, stopped after the test. */
    ReplicatApplier applier() {
        ReplicatApplier a = db.applier(ctx, dir);
        appliers.add(a);
        return a;
    }

    @AfterEach
    void stopReplicatsAndCloseTarget() throws Exception {
        appliers.forEach(ReplicatApplier::stop);
        if (db != null) db.close();
    }
}
