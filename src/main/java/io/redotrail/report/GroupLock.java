package io.redotrail.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One process per group: an exclusive OS lock ({@link FileChannel#tryLock}) on {@code dirchk/<GROUP>.pid}, held
 * from before the group touches anything until it stops. The OS drops the lock when the process dies, kill -9
 * included, so "is the lock held?" is the truth about RUNNING, whatever the file's text says.
 * <p>
 * Within this JVM the lock is re-entrant and counted ({@link #acquire}/{@link #release}): the command line, the
 * consumer, the producer and the Replicat bean of one group each take it. POSIX releases every lock a process
 * holds on a file when <em>any</em> descriptor of that file is closed, so while this JVM holds the lock the pid
 * file is only ever read and written through the held channel ({@link #read}, {@link #write}); never open it
 * otherwise. The file is rewritten in place, never replaced by a rename (a rename would leave the lock on an
 * unlinked inode). Thread-safe (one monitor).
 */
public final class GroupLock {
    private static final Map<Path, Held> HELD = new HashMap<>();
    /** The consumer reading each group in this JVM, and what it is (guarded by HELD's monitor). */
    private static final Map<Path, Map.Entry<Object, String>> READERS = new HashMap<>();
    /** A shared-lock probe by {@code ggsci} may hold the file for a moment; a starter retries this long. */
    private static final long PROBE_GRACE_MILLIS = 500;

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int refs;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /** A second start of a group that a live process runs. */
    public static final class AlreadyRunningException extends RuntimeException {
        private final String group;
        private final long pid;

        AlreadyRunningException(String group, long pid, Path file) {
            super("group " + group + " is already running (pid " + (pid > 0 ? Long.toString(pid) : "unknown")
                    + ", it holds the lock on " + file + "); stop it first (SIGTERM) or use another home");
            this.group = group;
            this.pid = pid;
        }

        public String group() {
            return group;
        }

        public long pid() {
            return pid;
        }
    }

    private GroupLock() {
    }

    private static Path key(Path home, String group) {
        return PidFile.pathOf(home.toAbsolutePath().normalize(), group);
    }

    /**
     * Takes the group's lock (or one more reference to it when this JVM holds it already); true when this call
     * took the OS lock.
     */
    public static boolean acquire(Path home, String group) {
        Path file = key(home, group);
        synchronized (HELD) {
            Held h = HELD.get(file);
            boolean first = h == null;
            if (first) {
                h = lock(file);
                HELD.put(file, h);
            }
            h.refs++;
            return first;
        }
    }

    private static Held lock(Path file) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long deadline = System.currentTimeMillis() + PROBE_GRACE_MILLIS;
            try {
                while (true) {
                    FileLock l = ch.tryLock();
                    if (l != null) return new Held(ch, l);
                    if (System.currentTimeMillis() > deadline) break;
                    Thread.sleep(20);
                }
                String text = readChannel(ch);
                ch.close();
                long pid = PidFile.parse(text).map(PidFile::pid).orElse(-1L);
                throw new AlreadyRunningException(groupOf(file), pid, file);
            } catch (InterruptedException e) {
                ch.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while locking " + file, e);
            } catch (IOException | RuntimeException e) {
                if (ch.isOpen()) ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String groupOf(Path pidFile) {
        String n = pidFile.getFileName().toString();
        return n.substring(0, n.length() - ".pid".length());
    }

    /** Drops one reference; the last one releases the OS lock. */
    public static void release(Path home, String group) {
        Path file = key(home, group);
        synchronized (HELD) {
            Held h = HELD.get(file);
            if (h == null || --h.refs > 0) return;
            HELD.remove(file);
            try {
                h.lock.release();
                h.channel.close();
            } catch (IOException e) {
                // closing drops the lock anyway; nothing else to do
            }
        }
    }

    /**
     * Claims the group's reading for {@code reader} ({@code what}: its route and CamelContext). The OS lock is the
     * process's, so two consumers of one group in this JVM (two routes, two CamelContexts) would both pass it and
     * read and checkpoint beside each other; the second is refused here, naming the first.
     *
     * @throws IllegalStateException when another consumer of this JVM reads the group
     */
    public static void claimReader(Path home, String group, Object reader, String what) {
        Path file = key(home, group);
        synchronized (HELD) {
            Map.Entry<Object, String> other = READERS.get(file);
            if (other != null && other.getKey() != reader) {
                throw new IllegalStateException("RTR-01625 " + what + " not started: group " + group + " is already read in this"
                        + " JVM by " + other.getValue() + "; two readers of one group would read and checkpoint beside each"
                        + " other: give each reading route its own group name");
            }
            READERS.put(file, Map.entry(reader, what));
        }
    }

    /** Ends {@code reader}'s claim ({@link #claimReader}); nothing when another consumer holds it. */
    public static void releaseReader(Path home, String group, Object reader) {
        Path file = key(home, group);
        synchronized (HELD) {
            Map.Entry<Object, String> mine = READERS.get(file);
            if (mine != null && mine.getKey() == reader) READERS.remove(file);
        }
    }

    /** True when this JVM holds the group's lock. */
    public static boolean heldHere(Path home, String group) {
        synchronized (HELD) {
            return HELD.containsKey(key(home, group));
        }
    }

    /**
     * True when a live process (this one or another) holds the group's lock. Probes with a shared lock taken and
     * dropped at once; never opens the file while this JVM holds it.
     */
    public static boolean held(Path home, String group) {
        Path file = key(home, group);
        synchronized (HELD) {
            if (HELD.containsKey(file)) return true;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
                if (l == null) return true;
                l.release();
                return false;
            } catch (NoSuchFileException e) {
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot probe the lock on " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The pid file's text (through the held channel when this JVM holds the lock), empty when absent. */
    public static Optional<String> read(Path home, String group) {
        Path file = key(home, group);
        synchronized (HELD) {
            Held h = HELD.get(file);
            try {
                if (h != null) return Optional.of(readChannel(h.channel));
                return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Rewrites the pid file in place and forces it. Through the held channel when this JVM holds the lock; else
     * only under the lock taken for the write, and not at all (false) while another process holds it: the
     * running group's file is its own.
     */
    public static boolean write(Path home, String group, String text) {
        Path file = key(home, group);
        synchronized (HELD) {
            Held h = HELD.get(file);
            boolean temporary = h == null;
            try {
                if (temporary) h = lock(file);
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                // readers in other processes read without the lock: no empty moment between the old text and the
                // new one (truncate first showed them no record for as long as the writer was descheduled). The
                // new text goes over the old, padded with line ends (blank lines to a reader) to the old length,
                // then the file is cut to the new text.
                byte[] padded = java.util.Arrays.copyOf(b, (int) Math.max(b.length, Math.min(h.channel.size(), 64 * 1024)));
                java.util.Arrays.fill(padded, b.length, padded.length, (byte) '\n');
                ByteBuffer buf = ByteBuffer.wrap(padded);
                long pos = 0;
                while (buf.hasRemaining()) pos += h.channel.write(buf, pos);
                h.channel.truncate(b.length);
                h.channel.force(true);
                return true;
            } catch (AlreadyRunningException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            } finally {
                if (temporary && h != null) {
                    try {
                        h.lock.release();
                        h.channel.close();
                    } catch (IOException e) {
                        // closing drops the lock anyway
                    }
                }
            }
        }
    }

    private static String readChannel(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64 * 1024));
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) break;
            pos += n;
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
