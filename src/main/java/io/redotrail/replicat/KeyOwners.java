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
    /** The last in-flight unit that touched a row key. */
    private final Map<KeyValues, ParallelUnit> owner = new HashMap<>();
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
        for (KeyValues k : u.keyArray) {
            if (k.cols() == null) {
                for (Map.Entry<KeyValues, ParallelUnit> e : owner.entrySet()) {
                    if (e.getKey().table().equals(k.table())) addOnce(out, e.getValue(), u);
                }
                addOnce(out, wholeOwner.put(k.table(), u), u);
            } else {
                addOnce(out, owner.put(k, u), u);
                if (!wholeOwner.isEmpty()) addOnce(out, wholeOwner.get(k.table()), u);
            }
        }
        return out;
    }

    /** {@code u} committed: its keys leave the index where it is still their last holder. */
    void release(ParallelUnit u) {
        for (KeyValues k : u.keyArray) {
            if (k.cols() == null) wholeOwner.remove(k.table(), u);
            else owner.remove(k, u);
        }
    }

    /** Adds {@code d} (null: none) unless listed already or {@code u} itself (a key of its own claimed before). */
    private static void addOnce(List<ParallelUnit> list, ParallelUnit d, ParallelUnit u) {
        if (d == null || d == u) return;
        for (ParallelUnit x : list) if (x == d) return;
        list.add(d);
    }
}
