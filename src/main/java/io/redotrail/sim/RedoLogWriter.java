package io.redotrail.sim;

import io.redotrail.checkpoint.AtomicFiles;
import io.redotrail.core.BinaryWriter;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RedoPosition;
import io.redotrail.core.RowChange;
import io.redotrail.core.Scn;
import io.redotrail.core.Xid;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.LogHeader;
import io.redotrail.redo.RedoFormat;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.redo.RedoOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The simulated database's log writer (LGWR) for one redo thread. Layout of the files it writes: see
 * {@link RedoFormat} and docs/redo-format.md. Online logs {@code <redoDir>/redo_<thread>_<group>.log} are
 * used in turn. Appends are buffered (1 MB) and reach the file on {@link #flush}; readers see nothing that was
 * not flushed.
 * <p>
 * Log switch order, which readers ({@code RedoLogReader}) and this writer's recovery ({@link RedoLogRecovery}) rely
 * on; each step is durable before the next begins:
 * <ol>
 * <li>end-of-log record appended to sequence S, online log fsynced;</li>
 * <li>S archived to {@code <archiveDir>/<thread>_<S>.arc} (temp copy, fsync, atomic rename, fsync dir);</li>
 * <li>control file: S finished (next SCN, size, archived path), the log that held the next group loses its online
 *     path, S+1 added with size 0 ("header not durable yet") and made the current sequence/group;</li>
 * <li>the next group truncated to 0, S+1's header written and fsynced (with the directory);</li>
 * <li>control file: S+1's size set to the header size ("header durable").</li>
 * </ol>
 * Between 3 and 5 the group the control file names current may be empty, hold the old log or a partial header:
 * a reader must wait, not report damage. A header that fails its check in a log whose recorded size is at least
 * the header size was durable once, so it is damage (unless the control file no longer names the group online).
 * <p>
 * RAC: SCNs are global, so a thread that wrote nothing for a while is behind the database's SCN. Its
 * {@link #heartbeat} record states "nothing of this thread at or below SCN X is still to come"; readers use it
 * as the thread's watermark so the merge of several threads never waits for, nor overtakes, an idle thread.
 * {@link #close()} marks the thread CLOSED in the control file (a closed thread holds up no merge) and records the
 * current log's size there: the write checkpoint below which its recovery never truncates;
 * {@link #open} marks it OPEN again. Timestamps of headers and end-of-log records come from the writer's clock.
 * <p>
 * Not thread-safe: one writer per thread, used by one Java thread. Writers of different redo threads may share
 * a redo directory and control file.
 */
public final class RedoLogWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RedoLogWriter.class);
    private static final int BUFFER = 1 << 20;

    private final RedoLogConfig cfg;
    private final Clock clock;
    private final BinaryWriter enc = new BinaryWriter(64 * 1024);
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);
    private final long maxRecord;
    private FileChannel channel;
    private int group;
    private long sequence;
    private long written;
    private long lastScn;
    /** SCN of the last heartbeat written: later records must have a higher SCN. */
    private long watermark = -1;

    private RedoLogWriter(RedoLogConfig cfg, Clock clock) {
        this.cfg = cfg;
        this.clock = clock;
        this.maxRecord = cfg.logSizeBytes() - RedoFormat.HEADER_SIZE - RedoFormat.END_OF_LOG_SIZE;
    }

    /** Opens the thread's current log, resuming a previous run (truncating a torn tail left by a crash). */
    public static RedoLogWriter open(RedoLogConfig cfg) {
        return open(cfg, Clock.systemUTC());
    }

    /** As {@link #open(RedoLogConfig)}, taking header and end-of-log timestamps from {@code clock}. */
    public static RedoLogWriter open(RedoLogConfig cfg, Clock clock) {
        RedoLogWriter w = new RedoLogWriter(cfg, clock);
        try {
            Files.createDirectories(cfg.redoDir());
            Files.createDirectories(cfg.archiveDir());
            w.resume();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open redo thread " + cfg.thread() + " in " + cfg.redoDir(), e);
        }
        return w;
    }

    /** Goes on from what a previous run left ({@link RedoLogRecovery}), completing an interrupted switch. */
    private void resume() throws IOException {
        RedoLogRecovery.Start start = RedoLogRecovery.recover(cfg, maxRecord);
        if (start instanceof RedoLogRecovery.Initialise i) {
            startLog(i.group(), i.sequence(), i.firstScn());
            return;
        }
        RedoLogRecovery.Append a = (RedoLogRecovery.Append) start;
        group = a.group();
        sequence = a.sequence();
        lastScn = a.lastScn();
        watermark = a.watermark();
        channel = a.channel();
        written = a.end();
        if (a.endOfLog() != null) {
            LOG.info("Redo thread {}: completing the switch from sequence {} interrupted by a crash", cfg.thread(), sequence);
            finishSwitch(a.endOfLog().nextSequence, a.endOfLog().nextScn.value());
        }
    }

    /**
     * Truncates the group's file and writes a new header; the control file already names it. Once the header is
     * durable the control file says so (size = header size): from then on a bad header is damage, not a switch.
     */
    private void startLog(int newGroup, long newSequence, long firstScn) throws IOException {
        if (channel != null) channel.close();
        Path file = cfg.onlineLog(newGroup);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.truncate(0);
        byte[] header = RedoFormat.encodeHeader(new LogHeader(RedoFormat.FORMAT_VERSION, cfg.thread(), newSequence,
                Scn.of(firstScn), clock.millis(), cfg.logSizeBytes(), cfg.dbName()));
        writeFully(ByteBuffer.wrap(header), 0);
        channel.force(true);
        AtomicFiles.fsyncDirectory(cfg.redoDir());
        headerDurable(cfg, newSequence);
        group = newGroup;
        sequence = newSequence;
        written = RedoFormat.HEADER_SIZE;
        lastScn = Math.max(lastScn, firstScn - 1);
    }

    /**
     * Step 5 of a log switch: the control file records that the header of {@code seq} is durable. Also recovery's,
     * for a crash before this step.
     */
    static void headerDurable(RedoLogConfig cfg, long seq) {
        ControlFile.update(cfg.controlFile(), cfg.dbName(), c -> {
            ControlFile.LogEntry e = c.log(cfg.thread(), seq);
            if (e != null && e.size < RedoFormat.HEADER_SIZE) e.size = RedoFormat.HEADER_SIZE;
        });
    }

    /**
     * Buffers one record and returns where it starts. Switches logs first when it would not fit.
     * SCNs must not decrease within a thread.
     */
    public RedoPosition append(RedoOp op, Xid xid, Scn scn, long tsMillis, boolean first, RowChange change) {
        ChangeOp expected = RedoFormat.changeOpOf(op);
        if (xid == null || scn == null) throw new IllegalArgumentException(op + " needs an XID and an SCN");
        if (expected == null ? change != null : change == null || change.op() != expected) {
            throw new IllegalArgumentException(op + " cannot carry change " + (change == null ? "null" : change.op() + " on " + change.table()));
        }
        if (scn.value() < lastScn || scn.value() <= watermark) {
            throw new IllegalArgumentException("SCN " + scn + " is lower than the last SCN " + lastScn + " of redo thread "
                    + cfg.thread() + (scn.value() <= watermark ? " (a heartbeat promised nothing at or below " + watermark + ")" : ""));
        }
        int size = encode(op.code(), xid, scn, tsMillis, first, change, 0, null);
        if (size > maxRecord) {
            throw new IllegalArgumentException("redo record of " + size + " bytes for " + (change == null ? op : change.table())
                    + " does not fit a redo log of " + cfg.logSizeBytes() + " bytes (at most " + maxRecord + " bytes per record)");
        }
        if (position() + size > cfg.logSizeBytes() - RedoFormat.END_OF_LOG_SIZE) {
            switchLogFile();
            size = encode(op.code(), xid, scn, tsMillis, first, change, 0, null);
        }
        RedoPosition at = new RedoPosition(cfg.thread(), sequence, position());
        buffer(size);
        lastScn = scn.value();
        return at;
    }

    /**
     * Appends a heartbeat record with SCN {@code globalScn} when this thread's last SCN is below it (else does
     * nothing and returns false): every later record of this thread must have a higher SCN. Buffered like any
     * record; durable after the next {@link #flush}. Switches logs first when it would not fit.
     */
    public boolean heartbeat(Scn globalScn, long tsMillis) {
        if (globalScn.value() <= lastScn) return false;
        int size = encode(RedoFormat.OP_HEARTBEAT, null, globalScn, tsMillis, false, null, 0, null);
        if (position() + size > cfg.logSizeBytes() - RedoFormat.END_OF_LOG_SIZE) {
            switchLogFile();
            size = encode(RedoFormat.OP_HEARTBEAT, null, globalScn, tsMillis, false, null, 0, null);
        }
        buffer(size);
        lastScn = globalScn.value();
        watermark = lastScn;
        return true;
    }

    private int encode(int opCode, Xid xid, Scn scn, long ts, boolean first, RowChange change, long nextSeq, Scn nextScn) {
        enc.clear();
        return RedoFormat.encodeRecord(enc, opCode, cfg.thread(), sequence, xid, scn, ts, first, change, nextSeq, nextScn);
    }

    private void buffer(int size) {
        try {
            if (size > pending.remaining()) flushBuffer();
            if (size > pending.capacity()) {
                writeFully(ByteBuffer.wrap(enc.array(), 0, size), written);
                written += size;
            } else {
                pending.put(enc.array(), 0, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write redo log " + cfg.onlineLog(group) + " at RBA " + written, e);
        }
    }

    /** Writes buffered records to the online log; with {@code fsync} also forces them to the device. */
    public void flush(boolean fsync) {
        try {
            flushBuffer();
            if (fsync) channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush redo log " + cfg.onlineLog(group) + " at RBA " + written, e);
        }
    }

    private void flushBuffer() throws IOException {
        if (pending.position() == 0) return;
        pending.flip();
        int n = pending.remaining();
        writeFully(pending, written);
        written += n;
        pending.clear();
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) pos += channel.write(b, pos);
    }

    /** ALTER SYSTEM SWITCH LOGFILE: end-of-log record, fsync, archive, control file, next group. */
    public void switchLogFile() {
        long nextSeq = sequence + 1;
        long nextScn = lastScn + 1;
        int size = encode(RedoFormat.OP_END_OF_LOG, null, Scn.of(lastScn), clock.millis(), false, null,
                nextSeq, Scn.of(nextScn));
        buffer(size);
        flush(true);
        try {
            finishSwitch(nextSeq, nextScn);
        } catch (IOException e) {
            throw new UncheckedIOException("log switch of redo thread " + cfg.thread() + " sequence " + sequence + " failed", e);
        }
    }

    private void finishSwitch(long nextSeq, long nextScn) throws IOException {
        Path online = cfg.onlineLog(group);
        Path arc = archive(online);
        int nextGroup = group % cfg.groups() + 1;
        Path nextFile = cfg.onlineLog(nextGroup);
        long finishedSeq = sequence;
        long size = written;
        ControlFile.update(cfg.controlFile(), cfg.dbName(), c -> {
            ControlFile.LogEntry done = c.log(cfg.thread(), finishedSeq);
            if (done == null) {
                done = new ControlFile.LogEntry(cfg.thread(), finishedSeq, group, nextScn, -1, 0, online, null);
                c.logs.add(done);
            }
            done.nextScn = nextScn;
            done.size = size;
            done.archived = arc;
            for (ControlFile.LogEntry e : c.logs) {
                if (e.thread == cfg.thread() && nextFile.equals(e.online)) {
                    if (e.archived == null) { // archived once is enough: the DBA may have deleted the copy since
                        throw new IllegalStateException("redo thread " + cfg.thread() + " sequence " + e.sequence
                                + " in " + nextFile + " is not archived; refusing to reuse its group");
                    }
                    e.online = null;
                }
            }
            if (c.log(cfg.thread(), nextSeq) == null) {
                // size 0: its header is not durable yet, a reader finding it empty or torn must wait (step 5 below)
                c.logs.add(new ControlFile.LogEntry(cfg.thread(), nextSeq, nextGroup, nextScn, -1, 0, nextFile, null));
            }
            ControlFile.ThreadState ts = c.threads.get(cfg.thread());
            ts.currentSequence = nextSeq;
            ts.currentGroup = nextGroup;
        });
        startLog(nextGroup, nextSeq, nextScn);
    }

    /** Copies the finished online log to the archive directory: temp file, fsync, atomic rename, fsync dir. */
    private Path archive(Path online) throws IOException {
        Path arc = cfg.archivedLog(sequence);
        Path tmp = arc.resolveSibling(arc.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = 0;
            while (pos < written) pos += channel.transferTo(pos, written - pos, out);
            out.force(true);
        }
        Files.move(tmp, arc, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncDirectory(cfg.archiveDir());
        LOG.info("Redo thread {} sequence {} archived: {} ({} bytes)", cfg.thread(), sequence, arc, written);
        return arc;
    }

    /** RBA the next record will get (includes buffered records). */
    public long position() {
        return written + pending.position();
    }

    public RedoPosition currentPosition() {
        return new RedoPosition(cfg.thread(), sequence, position());
    }

    /** Highest SCN written in this thread (first SCN of the current log minus one when it is empty). */
    public Scn lastScn() {
        return Scn.of(lastScn);
    }

    public long sequence() {
        return sequence;
    }

    public int group() {
        return group;
    }

    public RedoLogConfig config() {
        return cfg;
    }

    /** Flushes, fsyncs and marks the thread CLOSED in the control file (a closed thread holds up no merge). */
    @Override
    public void close() {
        if (channel == null || !channel.isOpen()) return;
        try {
            flush(true);
            long size = written;
            ControlFile.update(cfg.controlFile(), cfg.dbName(), c -> {
                ControlFile.ThreadState ts = c.threads.get(cfg.thread());
                if (ts != null) ts.open = false;
                ControlFile.LogEntry e = c.log(cfg.thread(), sequence);
                if (e != null) e.size = size; // the write checkpoint: readers and recovery treat every byte below as durable
            });
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", cfg.onlineLog(group), e.toString());
            }
        }
    }
}
