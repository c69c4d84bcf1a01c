package io.redotrail.fuzz;

import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.trail.TrailReader;
import io.redotrail.trail.TrailWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Trail files ({@code dirdat/ex000000000}…, several files): read by the pump's and Replicat's {@link TrailReader}
 * (spilling transactions of more than 3 rows, as with {@code spillRows}); when the reader is left waiting at the
 * end of the newest file, the writer restarts as the trail producer does, with its write checkpoint — its
 * recovery may cut only past it — and the reader goes on.
 */
final class TrailKind implements FileKind {
    static final long FILE_BYTES = 2048;

    @Override
    public String name() {
        return "trail file";
    }

    static Path trail(Path dir) {
        return dir.resolve("dirdat").resolve("ex");
    }

    /** Writes the workload in batches and returns the write checkpoint (the producer's durable position). */
    static TrailPosition writeTrail(Path dir) {
        List<Transaction> txs = Workload.transactions(40, 5000);
        try (TrailWriter w = TrailWriter.open(trail(dir), "EXT1", FILE_BYTES)) {
            for (int i = 0; i < txs.size(); i += 3) w.append(txs.subList(i, Math.min(txs.size(), i + 3)));
            return w.position();
        }
    }

    @Override
    public void write(Path dir) throws Exception {
        TrailPosition durable = writeTrail(dir);
        Files.writeString(dir.resolve("write-checkpoint"), durable.seqno() + ":" + durable.rba());
    }

    @Override
    public List<Path> targets(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("dirdat"))) {
            return s.sorted().toList();
        }
    }

    @Override
    public List<Long> hotSpots(Path file, byte[] bytes) {
        return Damage.frames(bytes, 0, 4, 4);
    }

    @Override
    public String read(Path dir, Path damaged, List<String> out) throws Exception {
        String[] cp = Files.readString(dir.resolve("write-checkpoint")).split(":");
        TrailPosition durable = new TrailPosition(Long.parseLong(cp[0]), Long.parseLong(cp[1]));
        try (TrailReader r = new TrailReader(trail(dir), TrailPosition.START, dir.resolve("dirtmp"), 3)) {
            drain(r, out);
            try (TrailWriter ignored = TrailWriter.open(trail(dir), "EXT1", FILE_BYTES, durable)) {
                drain(r, out);
            }
        }
        return null;
    }

    static void drain(TrailReader r, List<String> out) {
        for (int polls = 0; polls < 10_000; polls++) {
            List<Transaction> got = r.poll(100);
            got.forEach(t -> out.add(Workload.describe(t)));
            if (got.isEmpty() && r.atEnd()) return;
        }
        throw new IllegalStateException("trail reader never reached the end");
    }
}
