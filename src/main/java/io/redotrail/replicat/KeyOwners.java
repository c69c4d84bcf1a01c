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
     * The in-flight units {@code u} depends on: the last holder of each of its keys; for the whole table, the last
     * holder of every key of it. Whole-table keys are rare (partial images), so they scan the in-flight keys rather
     * than every key keeping a per-table index.
     */
    List<ParallelUnit> conflicts(ParallelUnit u) {
        List<ParallelUnit> out = new ArrayList<>(2);
        for (KeyValues k : u.keys) {
            if (k.cols() == null) {
                for (Map.Entry<KeyValues, ParallelUnit> e : owner.entrySet()) {
                    if (e.getKey().table().equals(k.table())) addOnce(out, e.getValue());
                }
            } else {
                ParallelUnit o = owner.get(k);
                if (o != null) addOnce(out, o);
            }
            ParallelUnit w = wholeOwner.get(k.table());
            if (w != null) addOnce(out, w);
        }
        return out;
    }

    /** {@code u} (dispatched after every current holder) becomes the last holder of its keys. */
    void claim(ParallelUnit u) {
        for (KeyValues k : u.keys) {
            if (k.cols() == null) wholeOwner.put(k.table(), u);
            else owner.put(k, u);
        }
    }

    /** {@code u} committed: its keys leave the index where it is still their last holder. */
    void release(ParallelUnit u) {
        for (KeyValues k : u.keys) {
            if (k.cols() == null) wholeOwner.remove(k.table(), u);
            else owner.remove(k, u);
        }
    }

    private static void addOnce(List<ParallelUnit> list, ParallelUnit u) {
        for (ParallelUnit x : list) if (x == u) return;
        list.add(u);
    }
}
