package io.redotrail.redo;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.sim.RedoLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedoRoundTripTest {
    @TempDir
    Path home;

    @Test
    void everyValueTypeSurvivesTheRedoLog() {
        String big = "漢字かな".repeat(90_000) + "x".repeat(1 << 20); // > 1 MB of text
        byte[] bytes = new byte[]{0, 1, (byte) 0xFF, 127, -128};
        String[] cols = {"N", "L", "D38", "NEG", "ZH", "JA", "BIG", "TS", "DT", "B", "DBL", "BOOL"};
        Object[] vals = {null, Long.MIN_VALUE, new BigDecimal("12345678901234567890123456789012345678"),
                new BigDecimal("-0.00000000000000000000000000000000000001"), "中文数据：订单", "日本語のデータ　ｶﾀｶﾅ",
                big, LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_789), LocalDate.of(1899, 12, 31), bytes,
                -1.5e300, Boolean.TRUE};
        RowImage after = new RowImage(cols, vals);
        RowImage before = new RowImage(new String[]{"N"}, new Object[]{1L});
        RedoLogConfig cfg = RedoTestData.config(home, 8L << 20, 3);
        Xid xid = new Xid(10, 16, 1533);
        RedoPosition p1, p2, p3, p4;
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            p1 = w.append(RedoOp.INSERT, xid, Scn.of(100), 1111, true, new RowChange("销售.订单", ChangeOp.INSERT, null, after));
            p2 = w.append(RedoOp.UPDATE, xid, Scn.of(101), 1112, false, new RowChange("HR.EMP", ChangeOp.UPDATE, before, after));
            p3 = w.append(RedoOp.DELETE, xid, Scn.of(102), 1113, false, new RowChange("HR.EMP", ChangeOp.DELETE, before, null));
            p4 = w.append(RedoOp.COMMIT, xid, Scn.of(103), 1114, false, null);
            w.flush(true);
            assertEquals(Scn.of(103), w.lastScn());
        }
        assertEquals(new RedoPosition(1, 1, RedoFormat.HEADER_SIZE), p1);
        try (RedoLogReader r = new RedoLogReader(cfg.redoDir(), cfg.archiveDir(), 1, null)) {
            List<RedoRecord> recs = RedoTestData.drain(r);
            assertEquals(4, recs.size());
            RedoRecord ins = recs.get(0);
            assertEquals(p1, ins.position());
            assertEquals(p2, ins.next());
            assertEquals(RedoOp.INSERT, ins.op());
            assertEquals(xid, ins.xid());
            assertEquals(Scn.of(100), ins.scn());
            assertEquals(1111, ins.timestampMillis());
            assertTrue(ins.first());
            assertEquals("销售.订单", ins.change().table());
            assertEquals(after, ins.change().after());
            RowImage got = ins.change().after();
            for (int i = 0; i < vals.length; i++) {
                if (vals[i] instanceof byte[] b) assertArrayEquals(b, (byte[]) got.value(i));
                else assertEquals(vals[i], got.value(i), cols[i]);
            }
            assertEquals(38, ((BigDecimal) got.get("D38")).precision());
            assertEquals(big, got.get("BIG"));
            assertEquals(before, recs.get(1).change().before());
            assertFalse(recs.get(1).first());
            assertEquals(ChangeOp.DELETE, recs.get(2).change().op());
            assertEquals(p3, recs.get(2).position());
            assertEquals(p4, recs.get(3).position());
            assertEquals(RedoOp.COMMIT, recs.get(3).op());
            assertNull(recs.get(3).change());
            assertEquals(cfg.onlineLog(1).toString(), recs.get(3).redoFile());
        }
    }

    @Test
    void recordLargerThanTheLogIsRejectedNamingTableAndSize() {
        RedoLogConfig cfg = RedoTestData.config(home, 64 * 1024, 3);
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.append(RedoOp.INSERT,
                    new Xid(1, 1, 1), Scn.of(1), 0, true, RedoTestData.insert(1, "x".repeat(100_000))));
            assertTrue(e.getMessage().contains("HR.EMP") && e.getMessage().contains("65536"), e.getMessage());
        }
    }

    @Test
    void appendRejectsInconsistentInput() {
        try (RedoLogWriter w = RedoLogWriter.open(RedoTestData.config(home, 64 * 1024, 3))) {
            assertThrows(IllegalArgumentException.class, () -> w.append(RedoOp.UPDATE, new Xid(1, 1, 1), Scn.of(5), 0, true,
                    RedoTestData.insert(1, "a")));
            assertThrows(IllegalArgumentException.class, () -> w.append(RedoOp.COMMIT, new Xid(1, 1, 1), Scn.of(5), 0, true,
                    RedoTestData.insert(1, "a")));
            w.append(RedoOp.COMMIT, new Xid(1, 1, 1), Scn.of(5), 0, false, null);
            assertThrows(IllegalArgumentException.class, () -> w.append(RedoOp.COMMIT, new Xid(1, 1, 2), Scn.of(4), 0, false, null));
        }
    }
}
