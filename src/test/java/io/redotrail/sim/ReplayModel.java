package io.redotrail.sim;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Xid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Test helper: replays the committed transactions of a redo stream, in commit order, onto an empty model,
 * checking that every before image matches the replayed row. Not thread-safe.
 */
final class ReplayModel {
    /** table → key text → row image */
    final Map<String, Map<String, RowImage>> tables = new TreeMap<>();
    private final SourceSchema schema;

    ReplayModel(SourceSchema schema) {
        this.schema = schema;
        schema.tables().forEach(t -> tables.put(t.name(), new TreeMap<>()));
    }

    ReplayModel replay(List<InMemoryRedoSink.Rec> records) {
        Map<Xid, List<RowChange>> open = new HashMap<>();
        for (InMemoryRedoSink.Rec r : records) {
            switch (r.type()) {
                case COMMIT -> {
                    List<RowChange> changes = open.remove(r.xid());
                    assertNotNull(changes, "COMMIT of unknown " + r.xid());
                    changes.forEach(this::apply);
                }
                case ROLLBACK -> assertNotNull(open.remove(r.xid()), "ROLLBACK of unknown " + r.xid());
                default -> open.computeIfAbsent(r.xid(), x -> new ArrayList<>()).add(r.change());
            }
        }
        return this;
    }

    void apply(RowChange c) {
        Map<String, RowImage> rows = tables.get(c.table());
        TableDef t = schema.table(c.table());
        switch (c.op()) {
            case INSERT -> assertNull(rows.put(key(t, c.after()), c.after()), "INSERT of existing row " + c.after());
            case UPDATE -> {
                assertEquals(key(t, c.before()), key(t, c.after()), "UPDATE changed the key");
                assertEquals(c.before(), rows.put(key(t, c.before()), c.after()), "UPDATE before image");
            }
            case DELETE -> assertEquals(c.before(), rows.remove(key(t, c.before())), "DELETE before image");
            case PK_UPDATE -> {
                assertEquals(c.before(), rows.remove(key(t, c.before())), "PK_UPDATE before image");
                assertNull(rows.put(key(t, c.after()), c.after()), "PK_UPDATE onto existing key " + c.after());
            }
        }
    }

    static String key(TableDef t, RowImage img) {
        return t.keyOf(t.rowOf(img)).toString();
    }

    /** The source database's rows in the same shape. */
    static Map<String, Map<String, RowImage>> of(SourceDatabase db) {
        Map<String, Map<String, RowImage>> result = new TreeMap<>();
        for (TableDef t : db.schema().tables()) {
            Map<String, RowImage> rows = new TreeMap<>();
            for (Object[] row : db.loadRows(t)) {
                rows.put(t.keyOf(row).toString(), t.image(row));
            }
            result.put(t.name(), rows);
        }
        return result;
    }

    /** The redo of {@code home}'s threads 1..{@code threads}, merged in SCN order. */
    static List<io.redotrail.redo.RedoRecord> readMerged(java.nio.file.Path home, int threads) {
        List<io.redotrail.redo.RedoLogReader> readers = new ArrayList<>();
        for (int t = 1; t <= threads; t++) {
            readers.add(new io.redotrail.redo.RedoLogReader(home.resolve("redo"), home.resolve("arch"), t, null));
        }
        List<io.redotrail.redo.RedoRecord> out = new ArrayList<>();
        try (io.redotrail.redo.ThreadMerger m = new io.redotrail.redo.ThreadMerger(readers, Map.of())) {
            List<io.redotrail.redo.RedoRecord> got;
            while (!(got = m.next(1000)).isEmpty()) out.addAll(got);
        }
        return out;
    }

    static List<InMemoryRedoSink.Rec> asRecs(List<io.redotrail.redo.RedoRecord> records) {
        return records.stream().map(r -> new InMemoryRedoSink.Rec(r.position().thread(), r.op(), r.xid(), r.scn(),
                r.timestampMillis(), r.first(), r.change(), r.position())).toList();
    }
}
