package io.redotrail.bench;

import io.redotrail.bench.PlainApply.RowKey;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an operation stream into {@code n} streams by row, for the plain apply on {@code n} connections: every
 * operation goes to the stream of the hash of its table and primary key ({@link PlainApply#rowKeys}), so no two
 * streams touch one row and each row sees its operations in stream order. A key update links its old and its new
 * key: both (and every key linked to them, transitively) go where one of them, the root of their set, hashes, so
 * a row that changes key stays on one connection. Each source transaction is cut into its part per stream (same XID and CSN, the
 * operations in order); a stream gets no part of a transaction that touches none of its rows. Without foreign
 * keys in the schema, the streams applied concurrently leave the same rows as the stream applied serially (only
 * the intermediate states differ: a source transaction is no longer atomic). Stateless.
 */
final class KeyPartitions {
    private KeyPartitions() {
    }

    /** The {@code n} streams, in the order of {@code txs}. */
    static List<List<Transaction>> split(List<Transaction> txs, int n) {
        if (n < 1) throw new IllegalArgumentException("connections below 1: " + n);
        Links links = new Links();
        for (Transaction tx : txs) {
            for (RowChange ch : tx.changes()) {
                List<RowKey> keys = PlainApply.rowKeys(ch);
                for (int i = 1; i < keys.size(); i++) links.union(keys.get(0), keys.get(i));
                links.find(keys.get(0));
            }
        }
        List<List<Transaction>> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) out.add(new ArrayList<>());
        for (Transaction tx : txs) {
            List<List<RowChange>> parts = new ArrayList<>(n);
            for (int p = 0; p < n; p++) parts.add(null);
            for (RowChange ch : tx.changes()) {
                int p = partition(links.find(PlainApply.rowKeys(ch).get(0)), n);
                if (parts.get(p) == null) parts.set(p, new ArrayList<>());
                parts.get(p).add(ch);
            }
            for (int p = 0; p < n; p++) {
                if (parts.get(p) != null) out.get(p).add(tx.withChanges(parts.get(p)));
            }
        }
        return out;
    }

    /** The stream of a row named by the root of its links: hash of table and key, spread over {@code n}. */
    static int partition(RowKey root, int n) {
        int h = root.hashCode();
        h ^= h >>> 16;
        return Math.floorMod(h * 0x9E3779B1, n);
    }

    /** Union-find over row keys: the root of a set is one of its keys, whose hash places the whole set. */
    private static final class Links {
        private final Map<RowKey, RowKey> parent = new HashMap<>();

        RowKey find(RowKey k) {
            RowKey p = parent.putIfAbsent(k, k);
            if (p == null || p.equals(k)) return k;
            RowKey root = find(p);
            if (!root.equals(p)) parent.put(k, root);
            return root;
        }

        void union(RowKey first, RowKey other) {
            RowKey a = find(first), b = find(other);
            if (!a.equals(b)) parent.put(b, a);
        }
    }
}
