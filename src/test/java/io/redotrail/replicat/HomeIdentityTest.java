package io.redotrail.replicat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dirchk/home.id: made once, the same for every process of the home, readable as the other checkpoint files. */
class HomeIdentityTest {
    @TempDir
    Path dir;

    /** Groups of one home starting at once (the Manager starts them together) agree on one identity. */
    @Test
    void concurrentFirstUsesAgreeOnOneIdentity() throws Exception {
        for (int round = 0; round < 200; round++) {
            Path home = dir.resolve("h" + round);
            int n = 4;
            CyclicBarrier go = new CyclicBarrier(n);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        seen.add(HomeIdentity.of(home));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join();
            assertEquals(List.of(), failures);
            assertEquals(1, seen.size(), "round " + round + ": " + seen);
            assertEquals(seen.iterator().next(), HomeIdentity.of(home), "read back");
        }
    }

    @Test
    void theFileIsReadableAsTheOtherCheckpointFilesAndTravelsWithACopy() throws Exception {
        Path home = Files.createDirectories(dir.resolve("h"));
        String id = HomeIdentity.of(home);
        Path file = home.resolve("dirchk/home.id");
        io.redotrail.checkpoint.AtomicFiles.write(home.resolve("dirchk/REP1.cpr"), new byte[]{1});
        assertEquals(Files.getPosixFilePermissions(home.resolve("dirchk/REP1.cpr")), Files.getPosixFilePermissions(file),
                "a backup or copy by another account that reads the checkpoint files reads it too");
        Path copy = Files.createDirectories(dir.resolve("copy/dirchk"));
        Files.copy(file, copy.resolve("home.id"));
        assertEquals(id, HomeIdentity.of(dir.resolve("copy")));
        assertTrue(!id.equals(HomeIdentity.of(Files.createDirectories(dir.resolve("other")))), "a home made elsewhere has its own");
    }

    /** An empty file (a crash while it was made) is refused after its maker's moment, saying it may be deleted. */
    @Test
    void anEmptyFileIsRefusedSayingHowItCameAbout() throws Exception {
        Path home = Files.createDirectories(dir.resolve("h/dirchk")).getParent();
        Files.writeString(home.resolve("dirchk/home.id"), "");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HomeIdentity.of(home));
        assertTrue(e.getMessage().contains("home.id holds no home identity") && e.getMessage().contains("delete it"), e.getMessage());
    }

    /** A file cut short inside the UUID's last group (UUID.fromString would take it) is no identity. */
    @Test
    void aTruncatedIdentityIsRefused() throws Exception {
        Path home = Files.createDirectories(dir.resolve("h/dirchk")).getParent();
        Files.writeString(home.resolve("dirchk/home.id"), "123e4567-e89b-12d3-a456-4");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HomeIdentity.of(home));
        assertTrue(e.getMessage().contains("123e4567-e89b-12d3-a456-4'"), e.getMessage());
    }
}
