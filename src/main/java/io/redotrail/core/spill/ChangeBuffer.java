package io.redotrail.core.spill;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.RowChange;
import io.redotrail.core.StreamedChanges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The changes of one open transaction: the oldest ones possibly in a spill file ({@link ChangeFile}, not
 * fsynced — after a crash the redo or Bounded Recovery restores them, never the spill file), the newest in
 * memory. {@link #changes()} returns them in order: a plain list while nothing was spilled, otherwise a
 * {@link StreamedChanges} that reads the file back while the trail writer iterates. Not thread-safe: owned by
 * the extract's route thread.
 */
public final class ChangeBuffer {
    private Path spillPath;
    private final java.util.function.Supplier<Path> spillPathOf;
    private List<RowChange> memory = new ArrayList<>();
    private long memoryBytes;
    private ChangeFile spill;
    private long size;

    public ChangeBuffer(Path spillPath) {
        this.spillPath = spillPath;
        this.spillPathOf = null;
    }

    /** The spill file's path made by {@code spillPath} when first needed (most buffers never spill). */
    public ChangeBuffer(java.util.function.Supplier<Path> spillPath) {
        this.spillPathOf = spillPath;
    }

    private Path spillPath() {
        if (spillPath == null && spillPathOf != null) spillPath = spillPathOf.get();
        return spillPath;
    }

    public void add(RowChange c, long estimatedBytes) {
        memory.add(c);
        memoryBytes += estimatedBytes;
        size++;
    }

    public long size() {
        return size;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public boolean spilled() {
        return spill != null;
    }

    /** Moves the in-memory changes to the spill file; returns the bytes of heap released (estimated). */
    public long spill() {
        if (memory.isEmpty()) return 0;
        if (spill == null) spill = ChangeFile.open(spillPath(), 0, 0);
        for (RowChange c : memory) spill.append(c);
        spill.flush(false);
        long released = memoryBytes;
        memory = new ArrayList<>();
        memoryBytes = 0;
        return released;
    }

    /** Every change in order; iterate the result before {@link #discard()}. */
    public List<RowChange> changes() {
        if (spill == null) return memory;
        spill.flush(false);
        final long fileLength = spill.length();
        final long fileCount = spill.count();
        final List<RowChange> tail = Collections.unmodifiableList(memory);
        final int total = (int) Math.min(Integer.MAX_VALUE, size);
        final Path file = spill.path();
        return new StreamedChanges() {
            @Override
            public Iterator<RowChange> iterator() {
                Iterator<RowChange> head = ChangeFile.read(file, fileLength, fileCount);
                Iterator<RowChange> rest = tail.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return head.hasNext() || rest.hasNext();
                    }

                    @Override
                    public RowChange next() {
                        if (head.hasNext()) return head.next();
                        if (rest.hasNext()) return rest.next();
                        throw new NoSuchElementException();
                    }
                };
            }

            @Override
            public int size() {
                return total;
            }
        };
    }

    /**
     * Ends the buffer: closes its spill file for writing and returns {@link #changes()}. When spilled, the file
     * is deleted once the returned list is no longer reachable — whoever holds the transaction (a Replicat's
     * open group, say) decides how long that is. The buffer must not be used afterwards.
     */
    public List<RowChange> seal() {
        List<RowChange> out = changes();
        if (spill != null) {
            spill.close();
            Path file = spill.path();
            CLEANER.register(out, () -> deleteQuietly(file));
            spill = null;
            memory = new ArrayList<>();
        }
        return out;
    }

    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover is cleared when its directory's owner starts again
        }
    }

    /** Iterates the changes from index {@code from} on (for Bounded Recovery's incremental persistence). */
    public Iterator<RowChange> changesFrom(long from) {
        Iterator<RowChange> it = changes().iterator();
        for (long i = 0; i < from && it.hasNext(); i++) it.next();
        return it;
    }

    /**
     * Starts from changes saved elsewhere (a Bounded Recovery object file): the first {@code bytes} bytes of
     * {@code source}, holding {@code count} changes, become this buffer's spill file. Streams; no heap used.
     */
    public void restoreFrom(Path source, long bytes, long count) {
        Path spillPath = spillPath();
        if (size != 0) throw new IllegalStateException("restore into a non-empty change buffer " + spillPath);
        try {
            Files.createDirectories(spillPath.toAbsolutePath().getParent());
            try (var in = java.nio.channels.FileChannel.open(source, java.nio.file.StandardOpenOption.READ);
                 var out = java.nio.channels.FileChannel.open(spillPath, java.nio.file.StandardOpenOption.CREATE,
                         java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                long done = 0;
                while (done < bytes) {
                    long n = in.transferTo(done, bytes - done, out);
                    if (n <= 0) throw new CorruptFileException(source, done, "file ends before its recorded length " + bytes);
                    done += n;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + source + " into " + spillPath, e);
        }
        spill = ChangeFile.open(spillPath, bytes, count);
        size = count;
    }

    /** Drops the changes and deletes the spill file. */
    public void discard() {
        memory = new ArrayList<>();
        memoryBytes = 0;
        if (spill != null) {
            spill.close();
            try {
                Files.deleteIfExists(spillPath);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spill file " + spillPath, e);
            }
            spill = null;
        }
    }
}
