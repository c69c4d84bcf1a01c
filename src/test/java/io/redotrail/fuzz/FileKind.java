package io.redotrail.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * One kind of file for {@link CorruptionFuzzTest}: how the real writers make it, which files a case may damage,
 * where its length fields, CRCs and headers lie, and how the real reading component reads it.
 */
interface FileKind {
    String name();

    /** Writes the undamaged files under {@code dir} with the real writers (once per kind, or per case when {@link #perCase}). */
    void write(Path dir) throws Exception;

    /** True when the files cannot be copied (their writer's state lives in memory): {@link #write} runs for every case. */
    default boolean perCase() {
        return false;
    }

    /** The files a case may damage (one is chosen uniformly). */
    List<Path> targets(Path dir) throws Exception;

    /** Offsets worth hitting in {@code file}: length fields, CRCs, headers, record starts. */
    List<Long> hotSpots(Path file, byte[] bytes);

    /** A legitimate action of the system before the damage (say, the DBA deleting an archived copy); none by default. */
    default void beforeDamage(Path dir, Path target, Random rnd) throws Exception {
    }

    /**
     * Runs the real reading component over {@code dir}, appending what it delivers to {@code out} as it goes, and
     * throws its abend. {@code damaged} is the damaged file (null for the undamaged run). Returns a note on how an
     * identical result came about (say "BR fallback"), or null.
     */
    String read(Path dir, Path damaged, List<String> out) throws Exception;
}
