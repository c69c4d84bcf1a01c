package io.redotrail.extract;

import io.redotrail.checkpoint.CheckpointPoint;
import io.redotrail.core.RowChange;
import io.redotrail.core.Xid;
import io.redotrail.core.spill.ChangeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The open transactions of one extract, oldest first, with a heap budget (CACHESIZE): when the estimated
 * size of the changes held in memory passes it, the largest transactions spill their changes to
 * {@code dirtmp/<GROUP>/<xid>.spill} until memory is under half the budget, so heap use does not grow with
 * transaction size. Ended transactions keep their spill files until the next batch, because the trail writer
 * streams a committed transaction's changes after this batch was handed on. Not thread-safe: route thread only.
 */
final class TransactionCache {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCache.class);

    private final Map<Xid, OpenTransaction> open = new LinkedHashMap<>();
    private final List<OpenTransaction> ended = new ArrayList<>();
    private final Path spillDir;
    private final long budgetBytes;
    private long memoryBytes;
    private long spilledChanges;
    private long spilledBytes; // estimated heap bytes moved to spill files since start (the metrics' spill bytes)
    private long beginCount; // makes spill file names unique even if an XID came back while its file is still read
    private Consumer<Xid> onRemove = x -> { };

    TransactionCache(Path spillDir, long budgetBytes) {
        this.spillDir = spillDir;
        this.budgetBytes = budgetBytes;
    }

    /** Called for every transaction that leaves the cache (commit, rollback, SKIPTRANS, FORCETRANS). */
    void onRemove(Consumer<Xid> listener) {
        this.onRemove = listener;
    }

    OpenTransaction get(Xid xid) {
        return open.get(xid);
    }

    OpenTransaction begin(Xid xid, int thread, CheckpointPoint start, boolean complete) {
        long n = ++beginCount;
        // the spill file's name only when it spills (rarely): not a Path and a String per transaction
        OpenTransaction t = new OpenTransaction(xid, thread, start, complete,
                new ChangeBuffer(() -> spillDir.resolve(xid + "." + n + ".spill")));
        open.put(xid, t);
        return t;
    }

    /** Adds a change; {@code recordLength} (its redo record size) estimates its heap cost. */
    void add(OpenTransaction t, RowChange c, int recordLength) {
        long estimate = 96L + 3L * recordLength;
        t.changes.add(c, estimate);
        memoryBytes += estimate;
        if (memoryBytes > budgetBytes) spill();
    }

    /** Removes a transaction at its end; its changes stay readable until {@link #releaseEnded()}. */
    OpenTransaction remove(Xid xid) {
        OpenTransaction t = open.remove(xid);
        if (t != null) {
            memoryBytes -= t.changes.memoryBytes();
            ended.add(t);
            onRemove.accept(xid);
        }
        return t;
    }

    /** Called when the previous batch has been written: deletes spill files of transactions that ended. */
    void releaseEnded() {
        ended.forEach(t -> t.changes.discard());
        ended.clear();
    }

    Collection<OpenTransaction> open() {
        return open.values();
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    long memoryBytes() {
        return memoryBytes;
    }

    long spilledChanges() {
        return spilledChanges;
    }

    long spilledBytes() {
        return spilledBytes;
    }

    private void spill() {
        List<OpenTransaction> bySize = new ArrayList<>(open.values());
        bySize.sort(Comparator.comparingLong((OpenTransaction t) -> t.changes.memoryBytes()).reversed());
        for (OpenTransaction t : bySize) {
            if (memoryBytes <= budgetBytes / 2) break;
            long n = t.changes.size();
            long released = t.changes.spill();
            memoryBytes -= released;
            spilledBytes += released;
            spilledChanges += n;
            if (LOG.isDebugEnabled()) LOG.debug("cache: transaction {} spilled to disk ({} changes so far)", t.xid, n);
        }
    }
}
