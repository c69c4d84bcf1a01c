package io.redotrail.replicat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parallel Replicat's dependency index: for each row key (and each table's whole-table key) the last in-flight
 * transaction that touched it. A transaction dispatched after it depends on it ({@link #conflicts}); earlier holders
 * of the key are dependencies of that one, so dependency is transitive through the last holder. A holder leaves the
 * index when it commits, unless a later transaction took the key over.
 * <p>
 * Not thread-safe: used only under the {@link ParallelScheduler}'s lock.
 */
final class KeyOwners {
    /**
     * A row key in the index: the key instance the map holds and the key's last in-flight holder. Each claimant
     * keeps the slots it claimed ({@link ParallelUnit#slots}), so its release finds the map entry by that
     * instance (identity, no comparison of key values) and skips keys a later transaction took over: comparing
     * the values of two instances of one hot row's key there was 4 % of the parallel stage's samples.
     */
    static final class Slot {
        final KeyValues key;
        ParallelUnit holder;

        Slot(KeyValues key) {
            this.key = key;
        }
    }

    /** Per row key, its slot. */
    private final Map<KeyValues, Slot> owner = new HashMap<>();
    /** The last in-flight unit holding a table's whole-table key. */
    private final Map<String, ParallelUnit> wholeOwner = new HashMap<>();

    /**
     * {@code u} (dispatched after every current holder) becomes the last holder of its keys; returns the in-flight
     * units it depends on: the previous holder of each of its keys; for the whole table, the holder of every key of
     * it. One hash operation per key: the previous holder is what the claim replaces. Whole-table keys are rare
     * (partial images), so they scan the in-flight keys rather than every key keeping a per-table index.
     */
    List<ParallelUnit> claim(ParallelUnit u) {
        List<ParallelUnit> out = new ArrayList<>(2);
        KeyValues[] keys = u.keyArray;
        Slot[] slots = new Slot[keys.length];
        for (int i = 0; i < keys.length; i++) {
            KeyValues k = keys[i];
            if (k.cols() == null) {
                for (Slot s : owner.values()) {
                    if (s.key.table().equals(k.table())) addOnce(out, s.holder, u);
                }
                addOnce(out, wholeOwner.put(k.table(), u), u);
            } else {
                Slot s = owner.computeIfAbsent(k, Slot::new);
                addOnce(out, s.holder, u);
                s.holder = u;
                slots[i] = s;
                if (!wholeOwner.isEmpty()) addOnce(out, wholeOwner.get(k.table()), u);
            }
        }
        u.slots = slots;
        return out;
    }

    /** {@code u} committed: its keys leave the index where it is still their last holder. */
    void release(ParallelUnit u) {
        KeyValues[] keys = u.keyArray;
        for (int i = 0; i < keys.length; i++) {
            Slot s = u.slots[i];
            if (s == null) {
                wholeOwner.remove(keys[i].table(), u);
            } else if (s.holder == u) {
                owner.remove(s.key, s); // found by the instance the map holds
            }
        }
    }

    /** Row keys in the index: every one has an in-flight holder. */
    int size() {
        return owner.size();
    }

    /** Adds {@code d} (null: none) unless listed already or {@code u} itself (a key of its own claimed before). */
    private static void addOnce(List<ParallelUnit> list, ParallelUnit d, ParallelUnit u) {
        if (d == null || d == u) return;
        for (ParallelUnit x : list) if (x == d) return;
        list.add(d);
    }
}
