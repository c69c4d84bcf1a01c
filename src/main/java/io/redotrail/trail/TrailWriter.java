package io.redotrail.trail;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.Set;

/**
 * The single writer of one trail ({@code dirdat/ex000000000}, {@code ex000000001}, ...; layout in
 * docs/trail-format.md and {@link TrailFormat}/{@link RowRecords}): a FILE_HEADER record at RBA 0, then the
 * ROW records of whole transactions, and a FILE_END record when the writer rolls over to seqno + 1. A
 * transaction never spans two files. {@link #append(List)} writes a batch of transactions and then calls
 * {@code force(false)} once: when it returns, every transaction of the batch is durable.
 * <p>
 * Crash recovery ({@link #open}, {@link TrailRecovery}): the last file is scanned; an incomplete tail (a torn
 * record, or the records of a transaction without its end record) is truncated back to the end of the last complete
 * transaction (OGG-01056 "Recovery initialization completed for target file F, at RBA R") and the writer then rolls
 * over to a new file. It never writes again into bytes a reader may already have read, so readers need no recovery
 * marker: they see the file shrink below their position (and restart from their transaction boundary) or find
 * the next file and drop the residue. {@link #lastCsn()} is the CSN of the last complete transaction, which the
 * producer uses to skip transactions a re-reading extract sends again. ROW records go through a
 * {@link RowRecords.Encoder}: with ENCRYPTTRAIL it encrypts the images and gets a new data key for each new file.
 * <p>
 * With {@link #forceOn} the extract's producer overlaps the fsync with its next batch: {@link #append(List,
 * Consumer, Durable)} writes, then hands the force and the producer's checkpoint to a {@link TrailForcer}; a
 * rollover and {@link #close} wait for that force first, and its failure fails the writer.
 * <p>
 * Thread-safety: none. One thread (the trail producer, which synchronizes) owns a writer; one writer per trail.
 * Readers in other threads or processes are safe because the file only grows between recoveries.
 */
public final class TrailWriter implements TrailSink {
    private static final Logger LOG = LoggerFactory.getLogger(TrailWriter.class);
    private static final int FLUSH_BYTES = 8 << 20;

    private final Path trail;
    private final String group;
    private final long maxFileBytes;
    private final BinaryWriter w = new BinaryWriter(1 << 20);
    /** The file appended to (closed by {@link #close}); null only until recovery opened one. */
    private CurrentTrailFile file;
    private Scn lastCsn;
    private Set<Xid> lastXids;
    private boolean failed;
    private TrailForcer forcer;
    private long emptySkipped;
    private TrailPosition recoveredAt;
    private boolean newTrail;
    private String lastWriter;

    private final RowRecords.Encoder encoder;

    private TrailWriter(Path trail, String group, long maxFileBytes, RowRecords.Encoder encoder) {
        TrailFormat.checkPrefix(trail);
        this.encoder = encoder;
        if (maxFileBytes < 1024) throw new IllegalArgumentException("trail max file size below 1024 bytes: " + maxFileBytes);
        this.trail = trail.toAbsolutePath();
        this.group = group;
        this.maxFileBytes = maxFileBytes;
    }

    public static TrailWriter open(Path trail, String group, long maxFileBytes) {
        return open(trail, group, maxFileBytes, null);
    }

    /**
     * Opens the trail for appending, recovering the last file. {@code durable}, when known (the write
     * checkpoint), is a position that must survive: recovery that would truncate below it fails instead.
     */
    public static TrailWriter open(Path trail, String group, long maxFileBytes, TrailPosition durable) {
        return open(trail, group, maxFileBytes, durable, new RowRecords.Encoder(null));
    }

    /**
     * As {@link #open(Path, String, long, TrailPosition)}, writing ROW records with {@code encoder} (ENCRYPTTRAIL:
     * an encoder with a {@link io.redotrail.trail.crypto.RecordSealer}; it gets a new data key for each new file).
     */
    public static TrailWriter open(Path trail, String group, long maxFileBytes, TrailPosition durable, RowRecords.Encoder encoder) {
        TrailWriter tw = new TrailWriter(trail, group, maxFileBytes, encoder);
        try {
            tw.recover(durable);
        } catch (IOException e) {
            tw.closeQuietly();
            throw new UncheckedIOException("cannot open trail " + trail, e);
        } catch (RuntimeException e) {
            tw.closeQuietly();
            throw e;
        }
        return tw;
    }

    private void recover(TrailPosition durable) throws IOException {
        TrailRecovery.Plan p = TrailRecovery.plan(trail, durable);
        newTrail = p.newTrail();
        lastWriter = p.lastWriter();
        lastCsn = p.lastCsn();
        lastXids = new HashSet<>(p.lastXids());
        recoveredAt = p.recoveredAt();
        switch (p.open()) {
            case CREATE -> {
                createFile(p.seqno());
                return;
            }
            case REWRITE_HEADER -> file = CurrentTrailFile.rewrite(trail, group, p.seqno(), lastCsn, lastXids);
            default -> file = CurrentTrailFile.reopen(trail, p.seqno(), p.size(), p.headerEnd());
        }
        if (p.rolloverTo() >= 0) rolloverTo(p.rolloverTo());
    }

    private void createFile(long newSeqno) throws IOException {
        encoder.newFile();
        file = CurrentTrailFile.create(trail, group, newSeqno, lastCsn, lastXids);
    }

    /**
     * Appends whole transactions (in commit order) and forces them to disk once. Transactions without row
     * changes have nothing to write and are counted in {@link #emptyTransactionsSkipped()}. Rolls over first
     * when a transaction would take a non-empty file past the maximum size.
     */
    public void append(List<Transaction> txs) {
        append(txs, NO_COUNT);
    }

    private static final Consumer<RowChange> NO_COUNT = c -> { };

    /**
     * {@link #append(List)}, handing each row change to {@code written} as its record is written (STATS counts
     * there: a spilled transaction is not read a second time). A change may have been handed on when the append
     * then fails; the writer has failed then.
     */
    @Override
    public void append(List<Transaction> txs, Consumer<RowChange> written) {
        if (failed) throw new IllegalStateException("trail writer for " + trail + " failed earlier; reopen it to recover");
        if (txs.isEmpty()) return;
        appendEncoded(encode(txs, written), null);
    }

    /**
     * Forces the batches appended with a durable action on {@code executor}'s thread (one at a time), while the
     * caller goes on; {@code onFailure} runs there when a force fails. The owner shuts the executor down after
     * {@link #close}.
     */
    public void forceOn(java.util.concurrent.Executor executor, Runnable onFailure) {
        this.forcer = new TrailForcer(executor, onFailure);
    }

    /**
     * After {@link #forceOn}: writes the transactions, then forces them on the executor's thread, which runs
     * {@code durable} once they are on disk (in append order; a batch with nothing to write runs it after the force
     * before). {@link #lastCsn}/{@link #position} then describe what is written, not yet what is durable. A failure
     * of the force before is thrown here and fails the writer. Without {@link #forceOn}: forces, then runs it.
     */
    @Override
    public void append(List<Transaction> txs, Consumer<RowChange> written, Durable durable) {
        if (forcer == null) {
            TrailSink.super.append(txs, written, durable);
            return;
        }
        if (failed) throw new IllegalStateException("trail writer for " + trail + " failed earlier; reopen it to recover");
        appendEncoded(encode(txs, written), durable);
    }

    private Iterator<EncodedTransaction> encode(List<Transaction> txs, Consumer<RowChange> written) {
        List<EncodedTransaction> encoded = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            if (tx.changes().isEmpty()) emptySkipped++;
            else encoded.add(new TransactionEncoding(encoder, tx, written));
        }
        return encoded.iterator();
    }

    /** Waits for the force in flight and its durable action; rethrows their failure, which fails the writer. */
    @Override
    public void awaitDurable() {
        if (forcer == null) return;
        try {
            forcer.await();
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Appends whole transactions whose ROW records are encoded already (the collector writes what a pump sent,
     * byte for byte), in commit order, and forces them once, with the same rollover rules as {@link #append}.
     * The iterator may read from a connection: a failure there fails the writer, whose next open cuts the torn
     * tail.
     */
    public void appendEncoded(Iterator<? extends EncodedTransaction> txs) {
        appendEncoded(txs, null);
    }

    /** {@code durable} null: forced here; else by the {@link TrailForcer}, which then runs it. */
    private void appendEncoded(Iterator<? extends EncodedTransaction> txs, Durable durable) {
        if (forcer != null && forcer.failed()) awaitDurable(); // a force failed meanwhile: nothing is written after it
        if (failed) throw new IllegalStateException("trail writer for " + trail + " failed earlier; reopen it to recover");
        TrailPosition before = position();
        Scn csn = lastCsn;
        // a copy: lastCsn/lastXids describe what is durable until the force, and alreadyWritten reads them meanwhile;
        // a list, not a set: one XID per transaction, a set made once per batch (XIDs at one CSN are distinct)
        List<Xid> xids = new ArrayList<>(lastXids);
        try {
            w.clear();
            while (txs.hasNext()) {
                EncodedTransaction tx = txs.next();
                if (tx.streamed()) {
                    // a rollover records the last CSN written so far in the new file's header: keep it exact
                    lastCsn = csn;
                    lastXids = new HashSet<>(xids);
                    appendStreamed(tx);
                } else {
                    int from = w.position();
                    tx.writeRecords(w, NOTHING);
                    if (file.size() + w.position() > maxFileBytes && file.holdsRecords(from)) {
                        byte[] moved = new byte[w.position() - from];
                        System.arraycopy(w.array(), from, moved, 0, moved.length);
                        file.write(ByteBuffer.wrap(w.array(), 0, from));
                        lastCsn = csn;
                        lastXids = new HashSet<>(xids);
                        rollover();
                        w.clear();
                        w.bytes(moved);
                    }
                }
                if (tx.csn().compareTo(csn) > 0) {
                    csn = tx.csn();
                    xids.clear();
                }
                xids.add(tx.xid());
                if (w.position() >= FLUSH_BYTES) {
                    file.write(w.view());
                    w.clear();
                }
            }
            file.write(w.view());
            w.clear();
            if (durable == null) {
                if (forcer != null) forcer.await();
                file.force();
                lastCsn = csn;
                lastXids = new HashSet<>(xids);
            } else {
                // written: a re-sent transaction is skipped from now on; durable (checkpointed) once the force returned
                lastCsn = csn;
                lastXids = new HashSet<>(xids);
                boolean wrote = !position().equals(before);
                forcer.force(wrote ? file.channel() : null, file.path(), file.size(), position(), csn, durable);
            }
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot write trail file " + currentFile() + " at RBA " + file.size(), e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    static final Runnable NOTHING = () -> { };

    /**
     * A spilled transaction can be larger than the heap and than a trail file: it starts a new file (unless
     * this one is empty) and streams through {@code w} in chunks, so it still never spans two files.
     */
    private void appendStreamed(EncodedTransaction tx) throws IOException {
        file.write(w.view());
        w.clear();
        if (file.holdsRecords(0)) rollover();
        try {
            tx.writeRecords(w, () -> {
                if (w.position() >= FLUSH_BYTES) {
                    try {
                        file.write(w.view());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    w.clear();
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void rollover() throws IOException {
        rolloverTo(file.seqno() + 1);
    }

    /** FILE_END, then the new file; {@code next} is above seqno + 1 only after ETROLLOVER past lost files. */
    private void rolloverTo(long next) throws IOException {
        if (forcer != null) forcer.await(); // the file is not closed under a running force
        long from = file.seqno();
        file.end(next, lastCsn);
        LOG.info("Trail {} rolled over from seqno {} at RBA {} to seqno {}", trail, from, file.size(), next);
        createFile(next);
    }

    @Override
    public boolean alreadyWritten(Transaction tx) {
        return alreadyWritten(tx.csn(), tx.xid());
    }

    /** True when the transaction {@code xid} committed at {@code csn} is already in the trail. */
    public boolean alreadyWritten(Scn csn, Xid xid) {
        int c = csn.compareTo(lastCsn);
        return c < 0 || (c == 0 && lastXids.contains(xid));
    }

    /** XIDs of the last complete transaction's CSN (several transactions may commit at one SCN). */
    public Set<Xid> lastXids() {
        return Set.copyOf(lastXids);
    }

    @Override
    public boolean newTrail() {
        return newTrail;
    }

    /** The group named in the header of the trail's last complete file when it was opened; null for a new trail. */
    public String lastWriter() {
        return lastWriter;
    }

    @Override
    public String describe() {
        return "trail " + trail;
    }

    /** CSN of the last complete transaction in the trail; {@link Scn#ZERO} if there is none. */
    @Override
    public Scn lastCsn() {
        return lastCsn;
    }

    /** Position after the last complete transaction: where the next one will start. */
    @Override
    public TrailPosition position() {
        return new TrailPosition(file.seqno(), file.size());
    }

    @Override
    public long seqno() {
        return file.seqno();
    }

    public Path trail() {
        return trail;
    }

    public Path currentFile() {
        return file.path();
    }

    /** Where recovery truncated an incomplete tail at open, or null when none was needed. */
    @Override
    public TrailPosition recoveredAt() {
        return recoveredAt;
    }

    /** True after a write failed: the writer refuses further appends; reopen to recover. */
    @Override
    public boolean failed() {
        return failed || forcer != null && forcer.failed();
    }

    public long emptyTransactionsSkipped() {
        return emptySkipped;
    }

    @Override
    public void close() {
        if (file == null || !file.isOpen()) return;
        RuntimeException unseen = null;
        if (forcer != null) {
            try {
                forcer.await(); // the file is not closed under a running force
            } catch (RuntimeException e) {
                if (!failed) unseen = e; // a failure appending already surfaced is not thrown twice
                failed = true;
            }
        }
        try {
            if (!failed) file.force();
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close trail file " + currentFile(), e);
        } finally {
            file.closeQuietly();
        }
        if (unseen != null) throw unseen;
    }

    private void closeQuietly() {
        if (file != null) file.closeQuietly();
    }
}
