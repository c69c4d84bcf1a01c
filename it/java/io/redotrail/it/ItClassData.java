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
 * tests give their program JVMs) cannot use it and starts as without: the archive's messages are turned off, so no
 * output a test reads changes. What is tested does not depend on it. {@code bin/redotrail} starts {@code java -jar}
 * from its own installation: QuickStartIT has an archive made for its copy ({@link #forLauncher}).
 */
public final class ItClassData {
    private static List<String> options;

    private ItClassData() {
    }

    /**
     * The JVM options that map the build's archive for JVMs started with {@link ItSupport#programClassPath} (made
     * first if this build has none); none if it could not be made.
     */
    public static synchronized List<String> options() {
        if (options == null) options = make(PROJECT.resolve("target/it-cds"), ItSupport.programJar(), PROJECT,
                List.of("-cp", ItSupport.programClassPath(), "io.redotrail.cli.Main"));
        return options;
    }

    /**
     * The JVM options that map an archive, made in {@code dir} unless there is one newer than the jar, for the JVMs
     * {@code bin/redotrail} of the installation {@code install} starts ({@code java -jar install/target/redotrail.jar})
     * and the groups their Manager starts (the same jar as class path); none if it could not be made.
     */
    public static List<String> forLauncher(Path install, Path dir) {
        Path jar = install.resolve("target/redotrail.jar");
        return make(dir, jar, install, List.of("-jar", jar.toString()));
    }

    /** {@code launch}: how the JVMs that will map the archive name their classes (class path and main, or -jar). */
    private static List<String> make(Path dir, Path jar, Path workDir, List<String> launch) {
        Path archive = dir.resolve("redotrail.jsa");
        try {
            Files.createDirectories(dir);
            try (FileChannel lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                // an archive older than the jar holds the classes of another build
                if (Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0
                        || train(dir, archive, workDir, launch)) {
                    return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
                }
                return List.of();
            }
        } catch (IOException | java.io.UncheckedIOException | InterruptedException e) {
            System.out.println("ItClassData: no class-data archive in " + dir + ", program JVMs start without (" + e + ")");
            return List.of();
        }
    }

    private static boolean train(Path dir, Path archive, Path workDir, List<String> launch) throws IOException, InterruptedException {
        Files.deleteIfExists(archive);
        Path home = dir.resolve("training-home");
        FileTrees.delete(home);
        Path partial = dir.resolve("redotrail.jsa.partial");
        Files.deleteIfExists(partial);
        Path log = dir.resolve("training.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx384m", "-XX:ArchiveClassesAtExit=" + partial));
        cmd.addAll(launch);
        cmd.addAll(List.of("demo", "--transactions", "300", "--home", home.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
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
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("ItClassData: class-data archive %s (%,d bytes) made in %.1f s%n", archive, Files.size(archive),
                (System.nanoTime() - t0) / 1e9);
        return true;
    }
}
