package io.redotrail.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI against the real Manager ({@code bin/redotrail mgr}, issue #11 helper B) in its own JVM, on a free
 * ephemeral port set in {@code dirprm/mgr.prm}: INFO MGR and INFO ALL see it running, and after the Manager is
 * killed (SIGKILL: its lock goes with it) INFO ALL says STOPPED, INFO MGR "Manager is DOWN!", and START is
 * contract 4's error naming the port its pid file recorded, exit status 1.
 */
class GgsciManagerIT {
    @TempDir
    Path home;

    private ItSupport.Cli ggsci(String command) throws Exception {
        return ItSupport.cliJvm(Duration.ofSeconds(120), List.of(), "ggsci", "--home", home.toString(), command);
    }

    @Test
    void ggsciSeesTheManagerAndItsAbsence() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/mgr.prm"), "PORT " + port + "\n");
        assertEquals(0, ggsci("add extract pumha, exttrailsource ./dirdat/ex").exitCode());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = System.getProperty("redotrail.jar", ItSupport.PROJECT.resolve("target/redotrail.jar").toString());
        Path log = home.resolve("mgr.log");
        Process mgr = new ProcessBuilder(java, "-Xmx256m", "-cp", jar, "io.redotrail.cli.Main", "mgr", "--home", home.toString())
                .directory(ItSupport.PROJECT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            ItSupport.await("the Manager answering INFO", Duration.ofSeconds(120), () -> {
                try {
                    return ggsci("info mgr").output().contains("Manager is running");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "mgr.log:\n" + read(log));
            assertTrue(ggsci("info all").output().contains("\nMANAGER     RUNNING\n"));
            ItSupport.Cli stop = ggsci("stop extract pumha");
            assertEquals(0, stop.exitCode(), stop.output());
            assertTrue(stop.output().contains("EXTRACT PUMHA is already stopped."), stop.output());
        } finally {
            mgr.destroyForcibly();
            assertTrue(mgr.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(ggsci("info all").output().contains("\nMANAGER     STOPPED\n"));
        assertTrue(ggsci("info mgr").output().contains("Manager is DOWN!"));
        ItSupport.Cli start = ggsci("start extract pumha");
        assertEquals(1, start.exitCode(), start.output());
        assertTrue(start.output().contains("ERROR: Manager is not running on port " + port + " ("), start.output());
        assertTrue(start.output().contains("start it with bin/redotrail mgr --home " + home + "."), start.output());
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "(none)";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
