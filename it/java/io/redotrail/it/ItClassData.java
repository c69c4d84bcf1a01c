package io.redotrail.it;

import io.redotrail.core.FileTrees;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.redotrail.it.ItSupport.PROJECT;

/**
 * A class-data archive of the program JVMs the integration tests start (AppCDS, a JDK dynamic archive:
 * {@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}). Each of those JVMs loads and verifies the
 * same classes of Camel, H2 and redotrail; mapped from the archive they cost less CPU, and on CI's 2 busy cores that
 * CPU is the run's time (2026-12-06, 2 cores: {@code demo} of 300 transactions 4.8 -> 3.6 CPU-s; RecoveryIT, KillIT,
 * StartupRefusalIT and EncryptedTrailIT 591 -> 477 CPU-s, 5:19 -> 4:20 min).
 * <p>
 * Made once per build by a training JVM ({@code demo} on a small workload: the routes, H2, the simulator, the
 * comparison) into target/it-cds/, by the first test JVM that needs it; the other failsafe fork waits for it on a
 * file lock. A JVM whose class path does not begin with the archive's ({@link ItSupport#programClassPath}, what the
 * tests give their program JVMs; not {@code bin/redotrail}'s {@code -jar}) cannot use it and starts as without: the archive's
 * messages are turned off, so no output a test reads changes. What is tested does not depend on it.
 */
public final class ItClassData {
    private static final Path DIR = PROJECT.resolve("target/it-cds");
    private static final Path ARCHIVE = DIR.resolve("redotrail.jsa");
    private static List<String> options;

    private ItClassData() {
    }

    /** The JVM options that map the archive (made first if this build has none); none if it could not be made. */
    public static synchronized List<String> options() {
        if (options == null) options = make() ? List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off") : List.of();
        return options;
    }

    private static boolean make() {
        Path jar = ItSupport.programJar();
        try {
            Files.createDirectories(DIR);
            try (FileChannel lock = FileChannel.open(DIR.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                // an archive older than the jar holds the classes of another build
                if (Files.isRegularFile(ARCHIVE) && Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                    return true;
                }
                Files.deleteIfExists(ARCHIVE);
                return train(jar);
            }
        } catch (IOException | java.io.UncheckedIOException | InterruptedException e) {
            System.out.println("ItClassData: no class-data archive, program JVMs start without (" + e + ")");
            return false;
        }
    }

    private static boolean train(Path jar) throws IOException, InterruptedException {
        Path home = DIR.resolve("training-home");
        FileTrees.delete(home);
        Path partial = DIR.resolve("redotrail.jsa.partial");
        Files.deleteIfExists(partial);
        Path log = DIR.resolve("training.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx384m", "-XX:ArchiveClassesAtExit=" + partial,
                "-cp", ItSupport.programClassPath(),
                "io.redotrail.cli.Main", "demo", "--transactions", "300", "--home", home.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            System.out.println("ItClassData: the training JVM did not finish within 5 minutes; see " + log);
            return false;
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(partial)) {
            System.out.println("ItClassData: the training JVM exited " + p.exitValue() + " without an archive; see " + log
                    + ":\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            return false;
        }
        Files.move(partial, ARCHIVE, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("ItClassData: class-data archive %s (%,d bytes) made in %.1f s%n", ARCHIVE, Files.size(ARCHIVE),
                (System.nanoTime() - t0) / 1e9);
        return true;
    }
}
