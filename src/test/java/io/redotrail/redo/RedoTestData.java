package io.redotrail.redo;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.sim.RedoLogWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the redo tests. */
final class RedoTestData {
    private RedoTestData() {
    }

    static RedoLogConfig config(Path home, long logSize, int groups) {
        return new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 1, groups, logSize, "ORCL");
    }

    static RowChange insert(long id, String name) {
        return new RowChange("HR.EMP", ChangeOp.INSERT, null,
                new RowImage(new String[]{"ID", "NAME"}, new Object[]{id, name}));
    }

    /** Writes {@code n} one-row transactions (insert + commit) with SCNs from {@code firstScn}, 2 per transaction. */
    static long writeTransactions(RedoLogWriter w, long firstId, int n, long firstScn) {
        long scn = firstScn;
        for (long id = firstId; id < firstId + n; id++) {
            Xid xid = new Xid(1, 1, id);
            w.append(RedoOp.INSERT, xid, Scn.of(scn++), 1_000 + id, true, insert(id, "name " + id));
            w.append(RedoOp.COMMIT, xid, Scn.of(scn++), 1_000 + id, false, null);
        }
        w.flush(false);
        return scn;
    }

    /** Polls until nothing more is available. */
    static List<RedoRecord> drain(RedoLogReader r) {
        List<RedoRecord> all = new ArrayList<>();
        List<RedoRecord> got;
        while (!(got = r.poll(1000)).isEmpty()) all.addAll(got);
        return all;
    }

    static List<Long> insertedIds(List<RedoRecord> records) {
        List<Long> ids = new ArrayList<>();
        for (RedoRecord r : records) {
            if (r.op() == RedoOp.INSERT) ids.add((Long) r.change().after().get("ID"));
        }
        return ids;
    }
}
