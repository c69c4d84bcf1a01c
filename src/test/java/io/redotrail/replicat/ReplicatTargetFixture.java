package io.redotrail.replicat;

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
    @TempDir
    Path dir;
    TargetDb db;

    @AfterEach
    void stopReplicatsAndCloseTarget() throws Exception {
        appliers.forEach(ReplicatApplier::stop);
        if (db != null) db.close();
    }
}
