package io.redotrail.trail.camel;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.TrailPosition;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The read checkpoint a {@code trail:} consumer with role=REPLICAT and no positionStore keeps itself, in
 * {@code dirchk/<GROUP>.cpr} (the Replicat's checkpoint file format, docs/checkpoint-format.md): written
 * atomically and forced after each exchange the route completed without exception, so a restart neither repeats
 * what the route finished nor skips what it did not. A kill between the route's completion and this write
 * delivers that one exchange again. Written on the consumer thread; {@link #stopped()} runs on the stopping
 * thread once the consumer thread ended ({@code GroupConsumer.doStop}), so the last position is one volatile
 * value, and writes are serialised (one tmp file per checkpoint file: two writers would interleave in it).
 */
final class ConsumerCheckpoint {
    private final Path home;
    private final String group;
    private final String trail;
    private final CheckpointFile file;
    private final long startTime = System.currentTimeMillis();
    private TrailPosition startup;
    private long startupMillis;
    private volatile Written written;

    /** The position last written and its commit time, one value for the thread that writes the stop checkpoint. */
    private record Written(TrailPosition position, long commitMillis) {
    }

    ConsumerCheckpoint(Path home, String group, String trail) {
        this.home = home;
        this.group = group.toUpperCase(Locale.ROOT);
        this.trail = trail;
        this.file = new CheckpointFile(CheckpointFile.replicatFile(home, group));
    }

    /** The stored position; refuses a checkpoint of another trail (the route was pointed elsewhere). */
    Optional<TrailPosition> read() {
        Optional<TrailReadCheckpoint> cp = file.read().map(ProcessCheckpoint::trailRead);
        if (cp.isPresent() && !HomePaths.same(home, cp.get().trail(), trail)) {
            throw new IllegalStateException("trail: group " + group + ": read checkpoint " + file.path() + " is for trail "
                    + cp.get().trail() + ", this route reads " + trail + " (give the route another group name, or delete"
                    + " that file to read this trail from its first file)");
        }
        return cp.map(TrailReadCheckpoint::current);
    }

    void started(TrailPosition at, long millis) {
        startup = at;
        startupMillis = millis;
        written = new Written(at, millis);
    }

    /** The route completed every transaction up to {@code current}: recorded, forced, before the next read. */
    void completed(TrailPosition current, long startupMillis, long commitMillis) {
        if (this.startupMillis <= 0) this.startupMillis = startupMillis; // known once a transaction was read from it
        if (current.equals(written.position())) return;
        write(current, commitMillis, 'A');
    }

    /** Graceful stop: the same position, marked stopped. */
    void stopped() {
        Written last = written;
        write(last.position(), last.commitMillis(), 'G');
    }

    private synchronized void write(TrailPosition current, long commitMillis, char status) {
        TrailReadCheckpoint read = new TrailReadCheckpoint(trail, startup, startupMillis, current, commitMillis);
        file.write(new ProcessCheckpoint(group, "REPLICAT", List.of(), read, List.of(), null, null, null, startTime,
                System.currentTimeMillis(), status));
        written = new Written(current, commitMillis);
    }
}
