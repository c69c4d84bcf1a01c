package io.redotrail.bench;

import io.redotrail.bench.PlainApply.RowKey;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.sim.SourceSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.redotrail.bench.PlainApplyTest.*;
import static org.junit.jupiter.api.Assertions.*;

/** The partitioning of the plain apply on N connections: no row on two connections, each row's operations in order. */
class KeyPartitionsTest {

    /** Rows 1..200 inserted, updated, some moved to a new key, some deleted and inserted again, in many transactions. */
    private static List<Transaction> stream() {
        List<Transaction> txs = new ArrayList<>();
        long csn = 1;
        for (long id = 1; id <= 200; id++) txs.add(tx(csn++, ins(id, "o" + id), upd(id, "o" + id, "u" + id)));
        for (long id = 1; id <= 200; id += 3) txs.add(tx(csn++, pk(id, id + 1000, "u" + id), ins(id, "again" + id)));
        for (long id = 2; id <= 200; id += 5) txs.add(tx(csn++, del(id, "u" + id), upd(id + 1 > 200 ? 1 : id + 1, "x", "y")));
        for (long id = 1; id <= 200; id += 3) txs.add(tx(csn++, pk(id + 1000, id + 2000, "u" + id)));
        return txs;
    }

    @Test
    void noRowOnTwoConnectionsAndEachRowKeepsItsOrder() {
        List<Transaction> in = stream();
        for (int n : new int[]{1, 2, 4, 7}) {
            List<List<Transaction>> parts = KeyPartitions.split(in, n);
            assertEquals(n, parts.size());
            Map<RowKey, Integer> owner = new HashMap<>();
            Map<RowKey, List<RowChange>> seen = new HashMap<>();
            long ops = 0;
            for (int p = 0; p < n; p++) {
                for (Transaction t : parts.get(p)) {
                    assertFalse(t.changes().isEmpty(), "no empty part");
                    for (RowChange ch : t.changes()) {
                        ops++;
                        for (RowKey k : PlainApply.rowKeys(ch)) {
                            Integer was = owner.putIfAbsent(k, p);
                            assertTrue(was == null || was == p, k + " on connections " + was + " and " + p);
                            seen.computeIfAbsent(k, x -> new ArrayList<>()).add(ch);
                        }
                    }
                }
            }
            assertEquals(in.stream().mapToLong(Transaction::size).sum(), ops, "every operation once");
            Map<RowKey, List<RowChange>> expected = new HashMap<>();
            for (Transaction t : in) {
                for (RowChange ch : t.changes()) for (RowKey k : PlainApply.rowKeys(ch)) expected.computeIfAbsent(k, x -> new ArrayList<>()).add(ch);
            }
            assertEquals(expected, seen, "each row's operations in stream order, n = " + n);
        }
    }

    /** A key update between two keys that hash to different connections takes both, and what follows on either, to one. */
    @Test
    void aKeyUpdateKeepsOldAndNewKeyOnOneConnection() {
        long a = 1, next = 2;
        while (KeyPartitions.partition(key(a), 4) == KeyPartitions.partition(key(next), 4)) next++;
        long b = next;
        List<Transaction> in = List.of(tx(1, ins(a, "x")), tx(2, ins(b + 7, "y"), pk(a, b, "x")), tx(3, ins(a, "z"), upd(b, "x", "w")));
        List<List<Transaction>> parts = KeyPartitions.split(in, 4);
        int with = -1, touching = 0;
        for (int p = 0; p < 4; p++) {
            for (Transaction t : parts.get(p)) {
                for (RowChange ch : t.changes()) {
                    if (PlainApply.rowKeys(ch).stream().anyMatch(k -> k.equals(key(a)) || k.equals(key(b)))) {
                        assertTrue(with < 0 || with == p, "keys " + a + " and " + b + " on connections " + with + " and " + p);
                        with = p;
                        touching++;
                    }
                }
            }
        }
        assertTrue(with >= 0);
        assertEquals(4, touching, "insert a, a -> b, insert a, update b");
        assertEquals(List.of(1L, 2L, 3L), parts.get(with).stream().map(t -> t.csn().value()).toList(), "cut per source transaction");
    }

    private static RowKey key(long id) {
        return new RowKey(SourceSchema.ACCOUNT, List.of(id));
    }
}
