package io.redotrail.replicat;

import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dependency index alone: a claim returns the holders it replaces, never the claiming unit itself (a unit
 * depending on itself would wait forever), and a whole-table key depends on every holder of the table's rows and is
 * depended on by every later row of it.
 */
class KeyOwnersTest {
    private long seq;

    private ParallelUnit unit(KeyValues... keys) {
        seq++;
        Transaction tx = new Transaction(new Xid(1, 1, seq), Scn.of(seq), 0, 1, List.of(), null);
        return new ParallelUnit(tx, List.of(), new LinkedHashSet<>(List.of(keys)));
    }

    private static KeyValues row(String table, long id) {
        return new KeyValues(table, List.of("ID"), new Object[]{id});
    }

    @Test
    void aClaimDependsOnThePreviousHolderOfEachKeyOnce() {
        KeyOwners owners = new KeyOwners();
        ParallelUnit a = unit(row("T", 1), row("T", 2));
        ParallelUnit b = unit(row("T", 3));
        assertEquals(List.of(), owners.claim(a));
        assertEquals(List.of(), owners.claim(b));
        ParallelUnit c = unit(row("T", 1), row("T", 2), row("T", 3), row("U", 1));
        assertEquals(List.of(a, b), owners.claim(c));
        // a released key is free; a key taken over stays with its last holder
        owners.release(a);
        owners.release(c);
        assertEquals(List.of(), owners.claim(unit(row("T", 1))));
    }

    @Test
    void aWholeTableKeyDependsOnEveryRowHolderButNotOnItsOwnRows() {
        KeyOwners owners = new KeyOwners();
        ParallelUnit a = unit(row("T", 1));
        ParallelUnit other = unit(row("U", 1));
        owners.claim(a);
        owners.claim(other);
        // its own row of T, claimed before its whole-table key, is not a dependency
        ParallelUnit whole = unit(row("T", 2), KeyValues.wholeTable("T"));
        assertEquals(List.of(a), owners.claim(whole));
        // every later row of T depends on the whole-table holder; U's do not
        assertEquals(List.of(whole), owners.claim(unit(row("T", 9))));
        assertEquals(List.of(other), owners.claim(unit(row("U", 1))));
        ParallelUnit second = unit(KeyValues.wholeTable("T"));
        List<ParallelUnit> deps = owners.claim(second);
        assertEquals(3, deps.size(), deps.toString());
        assertTrue(deps.containsAll(List.of(a, whole)), deps.toString());
    }

    @Test
    void equalKeysOfDifferentInstancesAreOneRowWhicheverHolderCommitsFirst() {
        for (boolean laterFirst : new boolean[]{false, true}) {
            KeyOwners owners = new KeyOwners();
            ParallelUnit a = unit(row("T", 1), row("T", 2));
            ParallelUnit b = unit(row("T", 1)); // another instance of T 1
            assertEquals(List.of(), owners.claim(a));
            assertEquals(List.of(a), owners.claim(b));
            if (laterFirst) {
                owners.release(b);
                // T 1 was taken over and is free now; T 2 is still a's
                assertEquals(List.of(a), owners.claim(unit(row("T", 2))));
                ParallelUnit c = unit(row("T", 1));
                assertEquals(List.of(), owners.claim(c));
                owners.release(a);
                // a's release leaves c's T 1 alone
                assertEquals(List.of(c), owners.claim(unit(row("T", 1))));
            } else {
                owners.release(a);
                // a no longer holds T 1 (b does): its release must not free it
                assertEquals(List.of(b), owners.claim(unit(row("T", 1))));
            }
        }
    }

    @Test
    void theIndexIsEmptyOnceEveryHolderCommittedInAnyOrder() {
        KeyOwners owners = new KeyOwners();
        List<ParallelUnit> units = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < 500; i++) {
            ParallelUnit u = unit(row("T", rnd.nextInt(20)), row("U", rnd.nextInt(20)));
            owners.claim(u);
            units.add(u);
        }
        Collections.shuffle(units, new Random(17));
        for (ParallelUnit u : units) owners.release(u);
        assertEquals(0, owners.size());
    }
}
