package io.redotrail.cli.ggsci;

import io.redotrail.testutil.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interactive prompt on a real terminal: a child JVM runs {@code ggsci --home H} under util-linux
 * {@code script}, which gives it a pseudo-terminal; each command is typed once the numbered prompt
 * {@code GGSCI (host) n> } is shown. The commands run, the history file keeps them for the next session, EXIT
 * ends the session with the exit status of what ran.
 */
class InteractiveConsoleTest {
    @TempDir
    Path home;

    @Test
    void numberedPromptHistoryAndExit() throws Exception {
        String host = java.net.InetAddress.getLocalHost().getHostName();
        StringBuffer seen = new StringBuffer();
        Process p = terminal(seen);
        Thread reader = readerOf(p, seen);
        OutputStream typed = p.getOutputStream();
        try {
            type(typed, seen, "GGSCI (" + host + ") 1> ", "add extract pumha, exttrailsource ./dirdat/ex");
            type(typed, seen, "GGSCI (" + host + ") 2> ", "");
            type(typed, seen, "EXTRACT added.", "INFO ALL"); // an empty line keeps the number: still 2
            type(typed, seen, "GGSCI (" + host + ") 3> ", "info extract nope");
            type(typed, seen, "GGSCI (" + host + ") 4> ", "!");
            type(typed, seen, "GGSCI (" + host + ") 5> ", "exit");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "session ended:\n" + seen);
        } finally {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String out = seen.toString();
        assertTrue(out.contains("EXTRACT added."), out);
        assertTrue(out.contains("EXTRACT     STOPPED     PUMHA"), out);
        assertTrue(out.contains("2> INFO ALL"), out);
        assertTrue(out.indexOf("ERROR: EXTRACT NOPE does not exist.") < out.lastIndexOf("ERROR: EXTRACT NOPE does not exist."),
                "! ran the previous command again: " + out);
        assertEquals(1, p.exitValue(), "one command failed: " + out);
        String history = Files.readString(home.resolve(".ggsci_history"));
        assertTrue(history.contains("add extract pumha, exttrailsource ./dirdat/ex") && history.contains("INFO ALL"), history);
    }

    @Test
    void passwordsNeitherEchoedNorInTheHistory() throws Exception {
        String host = java.net.InetAddress.getLocalHost().getHostName();
        StringBuffer seen = new StringBuffer();
        Process p = terminal(seen);
        Thread reader = readerOf(p, seen);
        OutputStream typed = p.getOutputStream();
        try {
            type(typed, seen, "GGSCI (" + host + ") 1> ", "add credentialstore");
            type(typed, seen, "GGSCI (" + host + ") 2> ", "alter credentialstore add user sa@jdbc:h2:mem:t alias tgt");
            type(typed, seen, "Password: ", "Prompted-S3cret");
            type(typed, seen, "GGSCI (" + host + ") 3> ", "alter credentialstore replace user sa@jdbc:h2:mem:t password Typed-S3cret alias tgt");
            type(typed, seen, "GGSCI (" + host + ") 4> ", "!");
            type(typed, seen, "GGSCI (" + host + ") 5> ", "exit");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "session ended:\n" + seen);
        } finally {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String out = seen.toString();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("alter credentialstore replace user sa@jdbc:h2:mem:t password ******** alias tgt"), out);
        assertTrue(!out.contains("Prompted-S3cret"), "prompted password echoed: " + out);
        // the terminal echoes what is typed on the command line itself; ! echoes it masked
        assertEquals(out.indexOf("Typed-S3cret"), out.lastIndexOf("Typed-S3cret"), out);
        String history = Files.readString(home.resolve(".ggsci_history"));
        assertTrue(history.contains("password ******** alias tgt"), history);
        assertTrue(!history.contains("S3cret"), history);
        assertEquals("Typed-S3cret", io.redotrail.control.credentials.CredentialStore.of(home)
                .login("OracleGoldenGate", "tgt").password());
    }

    /** GGSCI in a child JVM on a pseudo-terminal (util-linux script), stdout and stderr merged. */
    private Process terminal(StringBuffer seen) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' io.redotrail.cli.Main ggsci --home '" + home + "'";
        return new ProcessBuilder("script", "-qfec", cmd, "/dev/null").redirectErrorStream(true).start();
    }

    /** A daemon thread appending what the terminal shows to {@code seen}. */
    private static Thread readerOf(Process p, StringBuffer seen) {
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                for (int n = in.read(b); n >= 0; n = in.read(b)) seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
            } catch (Exception e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Types {@code line} (Enter = CR, as a terminal sends it) once {@code prompt} is on the screen. */
    private static void type(OutputStream typed, StringBuffer seen, String prompt, String line) throws Exception {
        Waits.await(() -> seen.indexOf(prompt) >= 0, "prompt '" + prompt + "' on the terminal");
        typed.write((line + "\r").getBytes(StandardCharsets.UTF_8));
        typed.flush();
    }
}
