package io.redotrail.redo;

import io.redotrail.checkpoint.AtomicFiles;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.SealedTextFile;
import io.redotrail.core.CorruptFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The redo control file {@code <redoDir>/control}, like Oracle's: which log sequence each thread is writing
 * and every log the database knows of (docs/redo-format.md, "Control file"). UTF-8 text, tab-separated:
 * <pre>
 * redotrail-control	3
 * db	ORCL
 * thread	&lt;thread&gt;	&lt;groups&gt;	&lt;current sequence&gt;	&lt;current group&gt;	&lt;OPEN|CLOSED&gt;
 * log	&lt;thread&gt;	&lt;sequence&gt;	&lt;group&gt;	&lt;first SCN&gt;	&lt;next SCN or -1&gt;	&lt;size&gt;	&lt;online path or -&gt;	&lt;archived path or -&gt;	&lt;A|D|-&gt;
 * crc32c	&lt;hex over all bytes before this line&gt;
 * </pre>
 * Since version 3 the log paths are relative to the home (the folder above {@code redo/}): {@code ./redo/...},
 * {@code ./arch/...} ({@link HomePaths}), so a copied or moved home names its own logs. Version 1 and 2 files
 * hold absolute paths; they are mapped under the home by folder and file name ({@link HomePaths#legacy}) and
 * the file is rewritten as version 3 at its next update. Version 1 files (no thread status, no archive status)
 * are read as OPEN threads with available archives. Replaced atomically ({@link AtomicFiles}). Instances are plain mutable values and
 * not thread-safe; {@link #update} serialises read-modify-write cycles, within this JVM by a monitor and
 * across processes (simulator, {@code archive delete}) by an exclusive lock on {@code <redoDir>/control.lock}.
 */
public final class ControlFile {
    public static final int VERSION = 3;
    private static final Object LOCK = new Object();

    public String dbName;
    public final TreeMap<Integer, ThreadState> threads = new TreeMap<>();
    public final List<LogEntry> logs = new ArrayList<>();

    public static final class ThreadState {
        public int groups;
        public long currentSequence;
        public int currentGroup;
        /** False once the thread's writer closed cleanly (instance shut down): it does not hold up a merge. */
        public boolean open = true;

        public ThreadState(int groups, long currentSequence, int currentGroup) {
            this.groups = groups;
            this.currentSequence = currentSequence;
            this.currentGroup = currentGroup;
        }
    }

    /**
     * One log; {@code nextScn} is -1 while it is being written; {@code size} is the finished log's size, for the
     * current log its write checkpoint (size at the last clean close), the header size once its header is
     * durable, 0 before (a log switch still writing it); {@code online} is null once the group was reused;
     * {@code archived} is null until the log is archived and keeps its path after the archived copy was
     * deleted ({@code archiveDeleted}), so the log stays listed as DELETED until that copy is restored.
     */
    public static final class LogEntry {
        public final int thread;
        public final long sequence;
        public final int group;
        public long firstScn;
        public long nextScn;
        public long size;
        public Path online;
        public Path archived;
        public boolean archiveDeleted;

        public LogEntry(int thread, long sequence, int group, long firstScn, long nextScn, long size, Path online, Path archived) {
            this.thread = thread;
            this.sequence = sequence;
            this.group = group;
            this.firstScn = firstScn;
            this.nextScn = nextScn;
            this.size = size;
            this.online = online;
            this.archived = archived;
        }

        /** The archived copy, or null when never archived or deleted. */
        public Path availableArchive() {
            // a deleted copy that the operator restored (copied back to the same path) is available again
            return archived == null || (archiveDeleted && !java.nio.file.Files.exists(archived)) ? null : archived;
        }

        /** ONLINE (an online group still holds it), ARCHIVED (only the archived copy), DELETED (neither). */
        public String status() {
            return online != null ? "ONLINE" : availableArchive() != null ? "ARCHIVED" : "DELETED";
        }
    }

    public LogEntry log(int thread, long sequence) {
        for (LogEntry e : logs) {
            if (e.thread == thread && e.sequence == sequence) return e;
        }
        return null;
    }

    /** Lowest sequence of the thread that still has an online or archived copy, or -1. */
    public long earliestSequence(int thread) {
        long min = -1;
        for (LogEntry e : logs) {
            if (e.thread == thread && (e.online != null || e.availableArchive() != null) && (min < 0 || e.sequence < min)) min = e.sequence;
        }
        return min;
    }

    public long currentSequence(int thread) {
        ThreadState t = threads.get(thread);
        return t == null ? -1 : t.currentSequence;
    }

    public static Optional<ControlFile> read(Path path) {
        Optional<String> body = SealedTextFile.read(path, "crc32c\t", "redo control file");
        if (body.isEmpty()) return Optional.empty();
        Path home = homeOf(path);
        ControlFile cf = new ControlFile();
        int[] version = {VERSION};
        long offset = 0;
        for (String line : body.get().split("\n")) {
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case "redotrail-control" -> {
                        version[0] = Integer.parseInt(f[1]);
                        if (version[0] < 1 || version[0] > VERSION) {
                            throw new CorruptFileException(path, offset, "unsupported control file version " + f[1]);
                        }
                    }
                    case "db" -> cf.dbName = f[1];
                    case "thread" -> {
                        ThreadState ts = new ThreadState(Integer.parseInt(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]));
                        if (version[0] >= 2) {
                            if (!f[5].equals("OPEN") && !f[5].equals("CLOSED")) throw new IllegalArgumentException("thread status " + f[5]);
                            ts.open = f[5].equals("OPEN");
                        }
                        cf.threads.put(Integer.parseInt(f[1]), ts);
                    }
                    case "log" -> {
                        LogEntry e = new LogEntry(Integer.parseInt(f[1]), Long.parseLong(f[2]),
                                Integer.parseInt(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                                pathOrNull(home, f[7], version[0]), pathOrNull(home, f[8], version[0]));
                        if (version[0] >= 2) {
                            if (!f[9].equals("A") && !f[9].equals("D") && !f[9].equals("-")) throw new IllegalArgumentException("archive status " + f[9]);
                            e.archiveDeleted = f[9].equals("D");
                        }
                        cf.logs.add(e);
                    }
                    default -> throw new CorruptFileException(path, offset, "unknown control file line: " + line);
                }
            } catch (RuntimeException e) {
                if (e instanceof CorruptFileException ce) throw ce;
                throw new CorruptFileException(path, offset, "malformed control file line '" + line + "': " + e, e);
            }
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return Optional.of(cf);
    }

    public void write(Path path) {
        Path home = homeOf(path);
        StringBuilder sb = new StringBuilder();
        sb.append("redotrail-control\t").append(VERSION).append('\n');
        sb.append("db\t").append(dbName).append('\n');
        threads.forEach((t, s) -> sb.append("thread\t").append(t).append('\t').append(s.groups).append('\t')
                .append(s.currentSequence).append('\t').append(s.currentGroup).append('\t')
                .append(s.open ? "OPEN" : "CLOSED").append('\n'));
        for (LogEntry e : logs) {
            sb.append("log\t").append(e.thread).append('\t').append(e.sequence).append('\t').append(e.group).append('\t')
                    .append(e.firstScn).append('\t').append(e.nextScn).append('\t').append(e.size).append('\t')
                    .append(e.online == null ? "-" : HomePaths.store(home, e.online.toString())).append('\t')
                    .append(e.archived == null ? "-" : HomePaths.store(home, e.archived.toString())).append('\t')
                    .append(e.archived == null ? "-" : e.archiveDeleted ? "D" : "A").append('\n');
        }
        SealedTextFile.write(path, sb.toString(), "crc32c\t");
    }

    /**
     * Read (or start empty), apply {@code change}, write back atomically; serialised within this JVM and, by an
     * exclusive lock on {@code control.lock} next to the file, across processes. An exception thrown by
     * {@code change} leaves the file untouched.
     */
    public static ControlFile update(Path path, String dbName, Consumer<ControlFile> change) {
        synchronized (LOCK) {
            Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
            try {
                Files.createDirectories(path.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + path.getParent(), e);
            }
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                ControlFile cf = read(path).orElseGet(ControlFile::new);
                if (cf.dbName == null) cf.dbName = dbName;
                change.accept(cf);
                cf.write(path);
                return cf;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock redo control file " + lockFile, e);
            }
        }
    }

    /** A stored log path as the file it names in this home; absolute paths of versions 1 and 2 mapped under it. */
    private static Path pathOrNull(Path home, String s, int version) {
        if ("-".equals(s)) return null;
        return HomePaths.resolve(home, version < 3 ? HomePaths.legacy(home, s) : s);
    }

    /** The home of a control file {@code <home>/redo/control}. */
    static Path homeOf(Path controlFile) {
        Path dir = controlFile.toAbsolutePath().normalize().getParent();
        return dir.getParent() == null ? dir : dir.getParent();
    }
}
