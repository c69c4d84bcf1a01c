package io.redotrail.fuzz;

import io.redotrail.core.RowChange;
import io.redotrail.core.spill.ChangeBuffer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A spill file ({@code dirtmp/EXT1/<xid>.<n>.spill}) of a transaction larger than the cache, written by the
 * real {@link ChangeBuffer} in several spills, damaged while the transaction is still open, then read back as
 * the trail writer does when the transaction commits. The buffer lives in memory, so it is rebuilt per case.
 */
final class SpillKind implements FileKind {
    private final Map<Path, ChangeBuffer> buffers = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "spill file";
    }

    @Override
    public boolean perCase() {
        return true;
    }

    private static Path file(Path dir) {
        return dir.resolve("dirtmp").resolve("EXT1").resolve("1.2.3.0.spill");
    }

    @Override
    public void write(Path dir) {
        ChangeBuffer b = new ChangeBuffer(file(dir));
        for (int i = 0; i < 45; i++) {
            b.add(Workload.row(i, i % 3), 100);
            if (i % 10 == 9) b.spill();
        }
        buffers.put(dir, b);
    }

    @Override
    public List<Path> targets(Path dir) {
        return List.of(file(dir));
    }

    @Override
    public List<Long> hotSpots(Path file, byte[] bytes) {
        return Damage.frames(bytes, 0, 8, 0);
    }

    @Override
    public String read(Path dir, Path damaged, List<String> out) {
        ChangeBuffer b = buffers.remove(dir);
        try {
            for (RowChange c : b.changes()) out.add(c.toString());
        } finally {
            b.discard();
        }
        return null;
    }
}
