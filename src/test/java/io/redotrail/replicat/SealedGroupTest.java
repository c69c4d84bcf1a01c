package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A sealed group's discard records are keyed by the last transaction its commit makes applied: a restart after a crash
 * before the commit must not find the key applied already, as it would a re-read transaction the row held before
 * (the stand-in of {@link ReplicatCheckpoints#passed}) or a parallel run's _LOX entry.
 */
class SealedGroupTest {
    @Test
    void theDiscardKeyIsTheLastTransactionTheCommitApplies() {
        Transaction applied = tx("1.1.7", 107).build();
        Transaction held = tx("1.1.5", 105).build(); // a stand-in at the row's CSN after it
        GroupCommitter.Sealed g = new GroupCommitter.Sealed(List.of(applied, held), 1, null, List.of(), null, Set.of(), applied);
        assertSame(applied, g.discardKey());
        GroupCommitter.Sealed onlyHeld = new GroupCommitter.Sealed(List.of(held), 1, null, List.of(), null, Set.of(), null);
        assertSame(held, onlyHeld.discardKey(), "no discards without an applied transaction: the last one then");
    }
}
