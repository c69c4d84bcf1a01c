package io.redotrail.sim;

import io.redotrail.core.CorruptFileException;
import io.redotrail.redo.ControlFile;
import io.redotrail.redo.LogFileCursor;
import io.redotrail.redo.LogHeader;
import io.redotrail.redo.RedoFormat;
import io.redotrail.redo.RedoLogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What {@link RedoLogWriter#open} finds of a previous run: registers a thread the control file does not know,
 * marks it OPEN, checks the current log's header against the control file, finds the end of valid records and
 * truncates a torn tail after it. The answer is where the writer goes on: a log to initialise ({@link Initialise})
 * or a log to append to ({@link Append}), which may end with the end-of-log record of an interrupted switch. It
 * relies on the log switch order described at {@link RedoLogWriter}.
 * <p>
 * Stateless; called once per open, on the opening thread.
 */
final class RedoLogRecovery {
    // the writer's logger: recovery is part of opening the writer, and its messages read as the writer's
    private static final Logger LOG = LoggerFactory.getLogger(RedoLogWriter.class);

    /** Where the writer goes on; {@link #recover} answers one of the two kinds below. */
    sealed interface Start permits Initialise, Append {
    }

    /** The group's file does not hold its sequence yet: truncate it and write the header. */
    record Initialise(int group, long sequence, long firstScn) implements Start {
    }

    /**
     * The log holds valid records up to {@code end}, the tail after it already cut; {@code channel} is open on it
     * for reading and writing. {@code endOfLog}: the log's last record when it is an end-of-log record (a switch
     * the crash interrupted, to complete), else null.
     */
    record Append(int group, long sequence, FileChannel channel, long end, long lastScn, long watermark,
                  RedoFormat.Decoded endOfLog) implements Start {
    }

    private RedoLogRecovery() {
    }

    static Start recover(RedoLogConfig cfg, long maxRecord) throws IOException {
        ControlFile cf = ControlFile.read(cfg.controlFile()).orElse(null);
        ControlFile.ThreadState ts = cf == null ? null : cf.threads.get(cfg.thread());
        if (ts == null) {
            ControlFile.update(cfg.controlFile(), cfg.dbName(), c -> {
                c.threads.put(cfg.thread(), new ControlFile.ThreadState(cfg.groups(), 1, 1));
                c.logs.add(new ControlFile.LogEntry(cfg.thread(), 1, 1, 1, -1, 0, cfg.onlineLog(1), null));
            });
            return new Initialise(1, 1, 1);
        }
        if (!ts.open) {
            ControlFile.update(cfg.controlFile(), cfg.dbName(), c -> c.threads.get(cfg.thread()).open = true);
        }
        if (ts.groups != cfg.groups()) {
            throw new IllegalArgumentException("redo thread " + cfg.thread() + " has " + ts.groups + " log groups in "
                    + cfg.controlFile() + ", configured " + cfg.groups() + " (changing the group count is not supported)");
        }
        ControlFile.LogEntry entry = cf.log(cfg.thread(), ts.currentSequence);
        Path file = cfg.onlineLog(ts.currentGroup);
        LogHeader h = null;
        if (Files.exists(file)) {
            try (LogFileCursor c = new LogFileCursor(file, false, maxRecord)) {
                h = c.headerOrNull();
            }
        }
        long onDisk = Files.exists(file) ? Files.size(file) : 0;
        if (h == null && (onDisk > RedoFormat.HEADER_SIZE || (entry != null && entry.size > RedoFormat.HEADER_SIZE))) {
            // records were appended after it, so the header was complete once: damage, not an interrupted switch
            throw new CorruptFileException(file, 0, "redo thread " + cfg.thread() + " sequence " + ts.currentSequence
                    + ": the log header is damaged but the log holds redo; refusing to reinitialise it");
        }
        if (h == null || h.sequence() < ts.currentSequence) {
            // crashed after the control file named this group current but before its header was written
            long first = entry == null ? 1 : entry.firstScn;
            LOG.warn("Redo thread {}: {} does not hold sequence {} yet; initialising it", cfg.thread(), file, ts.currentSequence);
            return new Initialise(ts.currentGroup, ts.currentSequence, first);
        }
        if (h.sequence() != ts.currentSequence || h.thread() != cfg.thread()) {
            throw new IllegalStateException(file + " holds thread " + h.thread() + " sequence " + h.sequence()
                    + " but " + cfg.controlFile() + " says thread " + cfg.thread() + " sequence " + ts.currentSequence);
        }
        if (entry != null && entry.size < RedoFormat.HEADER_SIZE) {
            RedoLogWriter.headerDurable(cfg, ts.currentSequence); // crash before step 5
        }
        return scanAndTruncate(cfg, maxRecord, file, ts.currentGroup, ts.currentSequence, h.firstScn().value() - 1,
                entry == null ? 0 : entry.size);
    }

    /**
     * Finds the end of valid records and truncates anything after it. Only a torn tail past {@code durable} (the
     * size recorded at the last clean close: the write checkpoint) may be cut; an invalid record below it is damage
     * to redo whose commits were acknowledged, and recovery refuses.
     */
    private static Append scanAndTruncate(RedoLogConfig cfg, long maxRecord, Path file, int group, long sequence,
                                          long lastScn, long durable) throws IOException {
        long rba = RedoFormat.HEADER_SIZE;
        long watermark = -1;
        RedoFormat.Decoded last = null;
        String why = null;
        try (LogFileCursor c = new LogFileCursor(file, false, maxRecord + RedoFormat.END_OF_LOG_SIZE)) {
            long size = c.size();
            while (rba < size) {
                int st = c.check(rba);
                if (st < 0) {
                    why = RedoFormat.describe(st);
                    break;
                }
                RedoFormat.Decoded d = c.decode(rba, st);
                if (d.sequence != sequence) {
                    why = "record of sequence " + d.sequence;
                    break;
                }
                last = d;
                lastScn = Math.max(lastScn, d.scn.value());
                if (d.isHeartbeat()) watermark = d.scn.value();
                rba += st;
                if (d.isEndOfLog()) break;
            }
            if (rba < durable) {
                throw new CorruptFileException(file, rba, "redo thread " + cfg.thread() + " sequence " + sequence + ": "
                        + (why == null ? "the log ends" : why) + " at RBA " + rba + ", below the " + durable
                        + " bytes recorded at the last clean close; refusing to discard durable redo");
            }
            if (rba < size) {
                LOG.warn("Redo thread {} sequence {}: truncating torn tail of {} at RBA {} ({} bytes, {})",
                        cfg.thread(), sequence, file, rba, size - rba, why == null ? "after end-of-log" : why);
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.size() > rba) {
            channel.truncate(rba);
            channel.force(true);
        }
        return new Append(group, sequence, channel, rba, lastScn, watermark,
                last != null && last.isEndOfLog() ? last : null);
    }
}
