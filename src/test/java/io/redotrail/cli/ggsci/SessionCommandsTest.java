package io.redotrail.cli.ggsci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GGSCI session and file commands on a real home: OBEY (echoed, numbered, nested refused), EXIT / QUIT,
 * exit status over several commands, case-insensitive keywords, HELP listing every command, VIEW PARAMS,
 * VIEW GGSEVT, and EDIT PARAMS run in a child JVM whose $EDITOR is a script that writes the file.
 */
class SessionCommandsTest {
    @TempDir
    Path home;

    private record Out(int rc, String text) {
    }

    private Out stdin(String lines) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Ggsci.run(home, k -> null, List.of(), new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new Out(rc, buf.toString(StandardCharsets.UTF_8));
    }

    private Out ggsci(String command) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Ggsci.run(home, k -> null, List.of(command.split(" ")), new ByteArrayInputStream(new byte[0]),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new Out(rc, buf.toString(StandardCharsets.UTF_8));
    }

    private static String host() throws Exception {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    @Test
    void aCommandsIoErrorEndsThatCommandNotTheSession() throws Exception {
        Files.createDirectories(home.resolve("dirprm/broken.prm")); // reading it throws an IOException
        Out out = stdin("view params broken\ninfo all\n");
        assertEquals(1, out.rc(), out.text());
        assertTrue(out.text().contains("ERROR: IOException: "), out.text());
        assertTrue(out.text().contains("MANAGER     STOPPED"), "INFO ALL ran after the failed command: " + out.text());
    }

    @Test
    void obeyRunsAFilesCommandsEchoedAndExitStatusSaysIfAnyFailed() throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/setup.oby"), """
                -- define the pump of seed 000
                ADD EXTRACT PUMHA, EXTTRAILSOURCE ./dirdat/ex

                add rmttrail ./dirdat/ha, extract pumha, megabytes 50
                obey ./dirprm/setup.oby
                exit
                info all
                """);
        Out o = stdin("obey ./dirprm/setup.oby\nInfo All\nquit\ninfo all\n");
        String h = host();
        assertEquals(1, o.rc(), "the nested OBEY failed");
        assertTrue(o.text().startsWith("GGSCI (" + h + ") 1> obey ./dirprm/setup.oby\n"
                + "GGSCI (" + h + ") 2> ADD EXTRACT PUMHA, EXTTRAILSOURCE ./dirdat/ex\nEXTRACT added.\n"
                + "GGSCI (" + h + ") 3> add rmttrail ./dirdat/ha, extract pumha, megabytes 50\nRMTTRAIL added.\n"
                + "GGSCI (" + h + ") 4> obey ./dirprm/setup.oby\nERROR: OBEY within an OBEY file is not allowed"), o.text());
        assertTrue(o.text().contains("GGSCI (" + h + ") 5> exit\nGGSCI (" + h + ") 6> Info All\nProgram"), o.text());
        assertTrue(o.text().contains("EXTRACT     STOPPED     PUMHA"), o.text());
        assertTrue(o.text().endsWith("GGSCI (" + h + ") 7> quit\n"), "nothing after QUIT: " + o.text());

        assertEquals(0, stdin("info all\nINFO EXTRACT pumha\n").rc());
        assertTrue(stdin("obey ./dirprm/nope.oby\n").text().contains("ERROR: OBEY file " + home.resolve("dirprm/nope.oby")
                + " does not exist."));
        assertEquals(1, stdin("info all\nfrobnicate\ninfo all\n").rc(), "one failure among successes");
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Out o = ggsci("help");
        assertEquals(0, o.rc());
        for (String c : new String[]{"ADD EXTRACT", "ADD EXTTRAIL", "ADD RMTTRAIL", "ADD REPLICAT", "ADD CHECKPOINTTABLE",
                "DELETE EXTRACT", "DELETE REPLICAT", "ALTER EXTRACT", "START ER", "STOP REPLICAT", "KILL EXTRACT", "INFO ALL",
                "INFO MGR", "INFO EXTTRAIL", "INFO RMTTRAIL", "STATS EXTRACT", "LAG REPLICAT", "SEND EXTRACT", "VIEW REPORT",
                "VIEW PARAMS", "EDIT PARAMS", "VIEW GGSEVT", "OBEY", "EXIT | QUIT"}) {
            assertTrue(o.text().contains("\n  " + c), c + " in:\n" + o.text());
        }
    }

    @Test
    void viewParamsAndGgsevt() throws Exception {
        assertTrue(ggsci("view params pumha").text().startsWith("ERROR: Parameter file " + home.resolve("dirprm/pumha.prm")));
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/pumha.prm"), "extract pumha\npassthru\nrmttrail ./dirdat/ha\n");
        assertEquals("\nextract pumha\npassthru\nrmttrail ./dirdat/ha\n\n", ggsci("VIEW PARAMS PUMHA").text());
        Files.writeString(home.resolve("dirprm/MGR.prm"), "PORT 7809\n");
        assertEquals("\nPORT 7809\n\n", ggsci("view params mgr").text(), "a name differing in case is the same file");

        Out none = ggsci("view ggsevt");
        assertEquals(0, none.rc());
        assertTrue(none.text().startsWith("Event log " + home.resolve("ggserr.log") + " does not exist yet"), none.text());
        String line = "2026-12-02 12:00:00  INFO    OGG-00975  redotrail Manager, mgr.prm:  EXTRACT EXT1 starting.\n";
        Files.writeString(home.resolve("ggserr.log"), line);
        assertEquals(line, ggsci("view ggsevt").text());
    }

    @Test
    void editParamsRunsTheEditorOnTheFileInAChildJvm() throws Exception {
        Path editor = home.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\necho \"extract pumha\" >> \"$1\"\necho \"$1\" > \"$(dirname \"$0\")/edited\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Process p = child(editor.toString(), "edit param pumha");
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("extract pumha\n", Files.readString(home.resolve("dirprm/pumha.prm")), "dirprm/ created, file written");
        assertEquals(home.resolve("dirprm/pumha.prm").toString(), Files.readString(home.resolve("edited")).trim());

        Path failing = home.resolve("fail.sh");
        Files.writeString(failing, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        Process f = child(failing.toString(), "edit params pumha");
        assertEquals(1, f.waitFor());
        String out = new String(f.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("exited with status 3"), out);
        assertFalse(Files.readString(home.resolve("dirprm/pumha.prm")).isEmpty());
    }

    private Process child(String editor, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.redotrail.cli.Main", "ggsci", "--home", home.toString(), command)
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("EDITOR", editor);
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM ended");
        return p;
    }
}
