package io.redotrail.redo;

import io.redotrail.core.Scn;

/** The header block at RBA 0 of every online and archived redo log (docs/redo-format.md). */
public record LogHeader(int formatVersion, int thread, long sequence, Scn firstScn, long creationMillis,
                        long maxSize, String dbName) {
}
