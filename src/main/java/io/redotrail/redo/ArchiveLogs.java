package io.redotrail.redo;

import io.redotrail.checkpoint.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Archive log management as a DBA does it with RMAN ({@code list archivelog all},
 * {@code backup archivelog sequence N delete input}, {@code ... until sequence N delete input}): lists every log
 * the control file knows with its status, and deletes archived copies. Deleting marks the log's archived copy
 * deleted in the control file (atomically, under its lock), then removes the file; a reader that still needs it
 * then stops with OGG-00446. Refused: the current log of a thread, a log that was never archived (its online
 * group holds the only copy), a copy already deleted, and, unless forced, a log a reader still needs ({@link Retained},
 * RMAN-08137; an online group holding it too is no reason to let it go: the group is reused at a later switch).
 * Otherwise deleting an archived copy whose online group still holds the log is allowed, as in Oracle. Stateless; safe to call while the simulator writes (the control file lock
 * serialises the two).
 */
public final class ArchiveLogs {
    private ArchiveLogs() {
    }

    /** One log as listed: status ONLINE (an online group holds it), ARCHIVED (only the archived copy), DELETED. */
    public record LogInfo(int thread, long sequence, long firstScn, long nextScn, long size, String status,
                          boolean current, Path online, Path archived, boolean archiveDeleted) {
        /** The file a reader would use: the online group when it holds the log, else the archived copy, else null. */
        public Path path() {
            return online != null ? online : archiveDeleted ? null : archived;
        }
    }

    /**
     * From {@code sequence} on, thread {@code thread}'s redo is still needed by a reader, {@code neededBy} (e.g.
     * "Extract EXT1 (its Recovery checkpoint: Seqno 14878, RBA 116752)"): the database keeps those archived logs,
     * as Oracle keeps the logs a registered capture needs (RMAN-08137), unless the deletion is forced.
     */
    public record Retained(int thread, long sequence, String neededBy) {
    }

    /** What a deletion did: the logs deleted, and one RMAN-08137 line per log kept because a reader needs it. */
    public record Deletion(List<LogInfo> deleted, List<String> kept) {
    }

    /** A deletion the rules refuse; the message says why. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /** Every log of {@code thread} (all threads when null), ordered by thread and sequence. */
    public static List<LogInfo> list(Path redoDir, Integer thread) {
        ControlFile cf = ControlFile.read(RedoFormat.controlFile(redoDir)).orElse(null);
        List<LogInfo> out = new ArrayList<>();
        if (cf == null) return out;
        for (ControlFile.LogEntry e : cf.logs) {
            if (thread == null || e.thread == thread) out.add(info(cf, e));
        }
        out.sort(Comparator.comparingInt(LogInfo::thread).thenComparingLong(LogInfo::sequence));
        return out;
    }

    /**
     * Deletes the archived copy of exactly {@code sequence} of {@code thread} (of every thread that has that
     * sequence when null). Returns the logs deleted.
     *
     * @throws RefusedException when no such log exists or one of them may not be deleted (nothing is deleted then)
     */
    public static List<LogInfo> deleteSequence(Path redoDir, Integer thread, long sequence) {
        return delete(redoDir, thread, sequence, sequence, true, List.of()).deleted();
    }

    /**
     * {@link #deleteSequence(Path, Integer, long)}, keeping the logs {@code retained} names: one a reader still needs is
     * refused (RMAN-08137) and nothing is deleted. An empty {@code retained} (a forced deletion) keeps none.
     */
    public static List<LogInfo> deleteSequence(Path redoDir, Integer thread, long sequence, List<Retained> retained) {
        return delete(redoDir, thread, sequence, sequence, true, retained).deleted();
    }

    /**
     * Deletes the archived copies of every sequence up to and including {@code upTo} of {@code thread} (every
     * thread when null), skipping current logs and copies already deleted. Returns the logs deleted (maybe none).
     */
    public static List<LogInfo> deleteUpTo(Path redoDir, Integer thread, long upTo) {
        return delete(redoDir, thread, 1, upTo, false, List.of()).deleted();
    }

    /** {@link #deleteUpTo(Path, Integer, long)}, keeping (and naming) the logs {@code retained} says a reader needs. */
    public static Deletion deleteUpTo(Path redoDir, Integer thread, long upTo, List<Retained> retained) {
        return delete(redoDir, thread, 1, upTo, false, retained);
    }

    private static Deletion delete(Path redoDir, Integer thread, long from, long to, boolean strict, List<Retained> retained) {
        Path control = RedoFormat.controlFile(redoDir);
        if (!Files.exists(control)) throw new RefusedException("no redo control file " + control);
        List<LogInfo> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        ControlFile.update(control, null, cf -> {
            deleted.clear();
            kept.clear();
            List<ControlFile.LogEntry> picked = new ArrayList<>();
            for (ControlFile.LogEntry e : cf.logs) {
                if ((thread != null && e.thread != thread) || e.sequence < from || e.sequence > to) continue;
                boolean current = cf.currentSequence(e.thread) == e.sequence;
                String who = "thread " + e.thread + " sequence " + e.sequence;
                if (current) {
                    if (strict) throw new RefusedException("cannot delete " + who + ": it is the current log of thread "
                            + e.thread + " (" + e.online + "); switch the log file first");
                    continue;
                }
                if (e.archived == null) {
                    if (strict) throw new RefusedException("cannot delete " + who + ": it is not archived, its online group "
                            + e.online + " holds the only copy");
                    continue;
                }
                if (!e.archived.toAbsolutePath().normalize().startsWith(ControlFile.homeOf(control))) {
                    // a command never touches a file outside its home (a control file naming another home's log)
                    throw new RefusedException("cannot delete " + who + ": its archived copy " + e.archived
                            + " is outside the home " + ControlFile.homeOf(control) + " of " + control);
                }
                if (e.availableArchive() == null) {
                    if (strict) throw new RefusedException("cannot delete " + who + ": its archived copy " + e.archived
                            + " was already deleted");
                    continue;
                }
                Retained needed = neededAt(retained, e.thread, e.sequence);
                if (needed != null) {
                    String why = "RMAN-08137: WARNING: archived log not deleted, needed for standby or upstream capture process\n"
                            + "archived log file name=" + e.archived + " thread=" + e.thread + " sequence=" + e.sequence
                            + ": needed by " + needed.neededBy();
                    if (strict) throw new RefusedException(why + "; deleting it anyway (--force) makes that reader stop with OGG-00446");
                    kept.add(why);
                    continue;
                }
                picked.add(e);
            }
            if (strict && picked.isEmpty()) {
                throw new RefusedException("no archived log sequence " + from + (thread == null ? "" : " of thread " + thread)
                        + " in " + control);
            }
            for (ControlFile.LogEntry e : picked) {
                e.archiveDeleted = true;
                deleted.add(info(cf, e));
            }
        });
        try {
            for (LogInfo l : deleted) Files.deleteIfExists(l.archived());
            if (!deleted.isEmpty()) AtomicFiles.fsyncDirectory(deleted.get(0).archived().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("archived logs marked deleted in " + control + " but not all files removed", e);
        }
        return new Deletion(List.copyOf(deleted), List.copyOf(kept));
    }

    /** The first of {@code retained} that needs {@code sequence} of {@code thread}, or null. */
    private static Retained neededAt(List<Retained> retained, int thread, long sequence) {
        for (Retained r : retained) if (r.thread() == thread && r.sequence() <= sequence) return r;
        return null;
    }

    private static LogInfo info(ControlFile cf, ControlFile.LogEntry e) {
        boolean current = cf.currentSequence(e.thread) == e.sequence;
        return new LogInfo(e.thread, e.sequence, e.firstScn, e.nextScn, e.size, e.status(), current, e.online, e.archived,
                e.archived != null && e.availableArchive() == null);
    }
}
