package io.redotrail.redo;

import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadMergerTest {
    @TempDir
    Path home;

    @Test
    void twoThreadsAreMergedInGlobalScnOrder() {
        Path redo = home.resolve("redo"), arch = home.resolve("arch");
        try (RedoLogWriter t1 = RedoLogWriter.open(new RedoLogConfig(redo, arch, 1, 3, 64 * 1024, "ORCL"));
             RedoLogWriter t2 = RedoLogWriter.open(new RedoLogConfig(redo, arch, 2, 3, 64 * 1024, "ORCL"))) {
            // thread 1 gets odd SCNs, thread 2 even ones; thread 2 writes in bursts
            for (long scn = 1; scn <= 2000; scn++) {
                RedoLogWriter w = scn % 2 == 1 ? t1 : t2;
                w.append(RedoOp.INSERT, new Xid(1, 1, scn), Scn.of(scn), scn, true, RedoTestData.insert(scn, "r"));
            }
            t1.flush(false);
            t2.flush(false);
            assertTrue(t1.sequence() > 1 && t2.sequence() > 1);
        }
        List<RedoLogReader> readers = List.of(new RedoLogReader(redo, arch, 1, null), new RedoLogReader(redo, arch, 2, null));
        List<RedoRecord> out = new ArrayList<>();
        try (ThreadMerger m = new ThreadMerger(readers, Map.of())) {
            for (int i = 0; i < 100 && out.size() < 2000; i++) out.addAll(m.next(97));
            assertEquals(2000, out.size());
            for (int i = 0; i < out.size(); i++) assertEquals(i + 1, out.get(i).scn().value());
            assertEquals(out.get(1999).next(), m.currentPoints().get(2).position());
            assertEquals(out.get(1998).next(), m.currentPoints().get(1).position());
        }
    }
}
