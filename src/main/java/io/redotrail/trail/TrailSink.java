package io.redotrail.trail;

import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a trail producer writes whole transactions: the trail in this home ({@link TrailWriter}) or a remote
 * trail written by a collector on another host ({@code io.redotrail.trail.remote.RemoteTrailSink}). Either way
 * {@link #append} returns only when the transactions are durable in the trail, and {@link #alreadyWritten} tells
 * what the trail already holds (last complete transaction's CSN and XIDs), so a producer re-sent transactions
 * after a crash writes each one once. Thread-safety: one thread at a time.
 */
public interface TrailSink extends AutoCloseable {
    /**
     * Makes the sink ready to append, on the caller's thread: a remote sink connects (retrying as TCPERRS says)
     * and learns what its trail holds; a local trail is ready once opened. Until then {@link #lastCsn},
     * {@link #position}, {@link #recoveredAt} and {@link #newTrail} are not known.
     */
    default void connect() {
    }

    /** True once {@link #connect} succeeded (at least once): what the trail holds is known. */
    default boolean opened() {
        return true;
    }

    /** True when {@code tx} is already in the trail: CSN below the last one, or equal with a known XID. */
    boolean alreadyWritten(Transaction tx);

    /** CSN of the last complete transaction in the trail; {@link Scn#ZERO} if there is none. */
    Scn lastCsn();

    /** Position after the last complete transaction (the write checkpoint). */
    TrailPosition position();

    default long seqno() {
        return position().seqno();
    }

    /** Where recovery cut an incomplete tail when the trail was opened, or null. */
    TrailPosition recoveredAt();

    /** True when the trail had no file before it was opened (GoldenGate's "file not opened"). */
    boolean newTrail();

    /**
     * Appends whole transactions in commit order (the caller skips those {@link #alreadyWritten}); durable when
     * this returns. {@code written} sees each change once (the local writer as it encodes the record, the remote
     * sink after the acknowledgement). A failure leaves the sink {@link #failed()}: reopen to recover.
     */
    void append(List<Transaction> txs, Consumer<RowChange> written);

    /**
     * {@link #append(List, Consumer)}, then {@code durable} once the transactions are durable: here, on the
     * caller's thread, unless the sink forces on another thread (the local writer after
     * {@link TrailWriter#forceOn}), which runs it there, in append order.
     */
    default void append(List<Transaction> txs, Consumer<RowChange> written, Durable durable) {
        append(txs, written);
        durable.at(position(), lastCsn());
    }

    /** What runs once a batch is durable: the position after it and the trail's last CSN with it. */
    @FunctionalInterface
    interface Durable {
        void at(TrailPosition position, Scn lastCsn);
    }

    /** Waits until every {@code durable} action handed to {@link #append(List, Consumer, Durable)} ran; rethrows a failure. */
    default void awaitDurable() {
    }

    /** True after a write failed for good: further appends are refused. */
    boolean failed();

    /** The trail as an operator names it in messages. */
    String describe();

    @Override
    void close();
}
