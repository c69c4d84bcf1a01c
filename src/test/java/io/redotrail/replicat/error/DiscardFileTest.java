package io.redotrail.replicat.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DiscardFileTest {
    @TempDir
    Path dir;

    @Test
    void optionsParseLikeDiscardFileAndNameTheBadOne() {
        assertEquals(DiscardFile.Options.DEFAULT, DiscardFile.Options.parse(""));
        assertEquals(new DiscardFile.Options(false, 50L << 20), DiscardFile.Options.DEFAULT, "APPEND, 50 MB");
        assertEquals(new DiscardFile.Options(true, 3L << 20), DiscardFile.Options.parse("PURGE, MEGABYTES 3"));
        assertEquals(new DiscardFile.Options(false, 3_000_000), DiscardFile.Options.parse("append maxbytes 3000000"));
        assertEquals("discardFileOptions 'APPEND, MEGABYTES 0': MEGABYTES must be 1..4096, got 0",
                assertThrows(IllegalArgumentException.class, () -> DiscardFile.Options.parse("APPEND, MEGABYTES 0")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DiscardFile.Options.parse("ROLLOVER")).getMessage()
                .contains("unknown option 'ROLLOVER'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DiscardFile.Options.parse("APPEND, PURGE")).getMessage()
                .contains("once"));
    }

    @Test
    void purgeEmptiesAtStartAppendKeepsAndTheLimitRefusesBeforeWriting() throws Exception {
        Path f = dir.resolve("dirrpt/REP1.dsc");
        DiscardFile a = new DiscardFile(f, "REP1", DiscardFile.Options.parse("APPEND, MAXBYTES 1000"));
        a.open();
        a.append("first record\n*\n");
        String once = Files.readString(f);
        new DiscardFile(f, "REP1", DiscardFile.Options.parse("APPEND")).open();
        assertEquals(once, Files.readString(f), "APPEND keeps an earlier run's records");
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> a.checkRoom("x".repeat(900)));
        assertTrue(full.getMessage().contains(f.toString()) && full.getMessage().contains("1000 bytes"), full.getMessage());
        assertEquals(once, Files.readString(f), "a refused group writes nothing");
        a.checkRoom("small\n");
        new DiscardFile(f, "REP1", DiscardFile.Options.parse("PURGE")).open();
        assertFalse(Files.exists(f), "PURGE empties the file at start");
    }

    /** Row values in the clear: the discard file is the owner's alone (0600), also one an earlier version left wider. */
    @Test
    void theFileIsReadableByItsOwnerOnly() throws Exception {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        Path fresh = dir.resolve("dirrpt/REP1.dsc");
        new DiscardFile(fresh, "REP1").append("Before image (1 columns):\nCARD = 4111111111111111\n*\n");
        assertEquals(ownerOnly, Files.getPosixFilePermissions(fresh));

        Path old = dir.resolve("dirrpt/REP2.dsc");
        Files.writeString(old, "an earlier run's records\n");
        Files.setPosixFilePermissions(old, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        new DiscardFile(old, "REP2").append("more\n");
        assertEquals(ownerOnly, Files.getPosixFilePermissions(old));
        assertTrue(Files.readString(old).startsWith("an earlier run's records\nmore"), Files.readString(old));
    }
}
