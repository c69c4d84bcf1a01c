package io.redotrail.core;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each hop stamps the heartbeat's after image; everything else passes untouched. */
class HeartbeatTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 12, 3, 8, 0, 0);

    private static Transaction tx(RowChange... changes) {
        return new Transaction(Xid.forFirstScn(10), Scn.of(11), 0, 1, List.of(changes), null);
    }

    @Test
    void extractThenTwoPumpsStampTheirNamesAndTimes() {
        RowChange hb = new RowChange(Heartbeat.SEED, ChangeOp.UPDATE, Heartbeat.seedImage("ORCL", 2, T0.minusSeconds(5)),
                Heartbeat.seedImage("ORCL", 2, T0));
        long t1 = Heartbeat.millis(T0) + 1000;
        List<Transaction> e = Heartbeat.stamp(List.of(tx(hb)), Heartbeat.Hop.EXTRACT, "ext1", t1);
        List<Transaction> p = Heartbeat.stamp(e, Heartbeat.Hop.ROUTING, "PUMP1", t1 + 2000);
        List<Transaction> p2 = Heartbeat.stamp(p, Heartbeat.Hop.ROUTING, "PUMP2", t1 + 3000);
        RowImage a = p2.get(0).changes().get(0).after();
        assertEquals("EXT1", a.get(Heartbeat.INCOMING_EXTRACT));
        assertEquals(T0.plusSeconds(1), a.get(Heartbeat.INCOMING_EXTRACT_TS));
        assertEquals("PUMP1 ==> PUMP2", a.get(Heartbeat.INCOMING_ROUTING_PATH));
        assertEquals(T0.plusSeconds(4), a.get(Heartbeat.INCOMING_ROUTING_TS));
        assertEquals(T0, a.get(Heartbeat.HEARTBEAT_TIMESTAMP));
        assertEquals(2L, a.get(Heartbeat.REDO_THREAD));
        // the images travelling earlier are not changed in place, and the before image is never stamped
        assertNull(e.get(0).changes().get(0).after().get(Heartbeat.INCOMING_ROUTING_PATH));
        assertNull(p2.get(0).changes().get(0).before().get(Heartbeat.INCOMING_EXTRACT));
    }

    @Test
    void transactionsWithoutHeartbeatAreTheSameObjects() {
        RowImage row = new RowImage(new String[]{"ID"}, new Object[]{1L});
        Transaction user = tx(new RowChange("YDJK.ACCOUNT", ChangeOp.INSERT, null, row));
        List<Transaction> in = List.of(user);
        assertSame(in, Heartbeat.stamp(in, Heartbeat.Hop.EXTRACT, "EXT1", 0));
        Transaction hb = tx(new RowChange(Heartbeat.SEED, ChangeOp.INSERT, null, Heartbeat.seedImage("ORCL", 1, T0)));
        List<Transaction> out = Heartbeat.stamp(List.of(user, hb), Heartbeat.Hop.EXTRACT, "EXT1", 0);
        assertSame(user, out.get(0));
        assertTrue(Heartbeat.holdsHeartbeat(out.get(1)));
        assertEquals("EXT1", out.get(1).changes().get(0).after().get(Heartbeat.INCOMING_EXTRACT));
    }
}
