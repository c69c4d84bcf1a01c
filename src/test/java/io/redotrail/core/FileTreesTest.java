package io.redotrail.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Deleting a tree while another thread deletes files in it (as the JDK's Cleaner deletes the spill files of
 * delivered trail transactions, at any time, also after their reader was closed): the tree is gone, no
 * NoSuchFileException. Each round races a real deleter thread against the walk; the old walk-then-delete failed
 * here in nearly every round.
 */
class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void filesVanishingWhileTheTreeIsDeletedAreFine() throws Exception {
        for (int round = 0; round < 10; round++) {
            Path dir = tmp.resolve("home-" + round);
            Path spill = dir.resolve("dirtmp/REP1");
            Files.createDirectories(spill);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < 400; i++) files.add(Files.writeString(spill.resolve("trail-0-" + i + "-0.spill"), "x"));
            Files.writeString(dir.resolve("kept"), "y");
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread cleaner = new Thread(() -> {
                try {
                    go.await();
                    for (Path f : files) Files.deleteIfExists(f);
                } catch (IOException | InterruptedException e) {
                    failed.set(e);
                }
            }, "test-cleaner");
            cleaner.start();
            go.countDown();
            FileTrees.delete(dir);
            cleaner.join();
            assertNull(failed.get());
            assertFalse(Files.exists(dir), "round " + round + ": the whole tree is deleted");
        }
        FileTrees.delete(tmp.resolve("never-created")); // nothing to do
    }
}
