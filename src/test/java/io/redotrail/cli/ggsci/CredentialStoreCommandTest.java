package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GGSCI's credential-store commands on a real store: GoldenGate's output shapes, and no password in any output. */
class CredentialStoreCommandTest {
    private static final String SECRET = "pw,with,commas";

    @TempDir
    Path home;

    private GgsciOut ggsci(String command) throws Exception {
        return GgsciOut.run(home, Map.<String, String>of()::get, command);
    }

    @Test
    void addAlterAndInfoInGoldenGateShape() throws Exception {
        assertEquals(new GgsciOut(0, "Credential store created in ./dircrd/.\n"), ggsci("add credentialstore"));
        assertEquals(1, ggsci("ADD CREDENTIALSTORE").rc());
        assertEquals(new GgsciOut(0, "Credential store in ./dircrd/ altered.\n"),
                ggsci("alter credentialstore add user sa@jdbc:h2:mem:t password " + SECRET + " alias tgt"));
        assertEquals(0, ggsci("ALTER CREDENTIALSTORE ADD USER ggadmin@jdbc:postgresql://h:5432/db PASSWORD x2 ALIAS pg DOMAIN prod").rc());
        assertEquals(0, ggsci("alter credentialstore add user app@jdbc:h2:mem:u password p3").rc()); // alias = user id
        GgsciOut info = ggsci("info credentialstore");
        assertEquals("""
                Reading from ./dircrd/:

                Domain: OracleGoldenGate

                  Alias: app@jdbc:h2:mem:u
                  Userid: app@jdbc:h2:mem:u

                  Alias: tgt
                  Userid: sa@jdbc:h2:mem:t

                Domain: prod

                  Alias: pg
                  Userid: ggadmin@jdbc:postgresql://h:5432/db
                """, info.text());
        assertTrue(ggsci("info credentialstore domain prod").text().contains("Alias: pg"));
        assertFalse(ggsci("info credentialstore domain prod").text().contains("Alias: tgt"));
        assertEquals(SECRET, CredentialStore.of(home).login("OracleGoldenGate", "tgt").password());

        assertEquals(0, ggsci("alter credentialstore replace user sa@jdbc:h2:mem:t2 password n3w alias tgt").rc());
        assertEquals("n3w", CredentialStore.of(home).login("OracleGoldenGate", "tgt").password());
        assertEquals(0, ggsci("alter credentialstore delete user sa alias tgt").rc());
        assertFalse(ggsci("info credentialstore").text().contains("Alias: tgt"));
    }

    @Test
    void errorsAndEchoesNeverShowThePassword() throws Exception {
        GgsciOut none = ggsci("info credentialstore");
        assertEquals(1, none.rc());
        assertTrue(none.text().contains("ADD CREDENTIALSTORE creates it"), none.text());
        ggsci("add credentialstore");
        String add = "alter credentialstore add user sa@jdbc:h2:mem:t password " + SECRET + " alias tgt";
        ggsci(add);
        List<GgsciOut> outs = List.of(ggsci(add), ggsci("alter credentialstore add user nourl password " + SECRET),
                ggsci("alter credentialstore replace user sa@x password " + SECRET + " alias nope"),
                ggsci("alter credentialstore add user sa@x password " + SECRET + " alias"),
                ggsci("alter credentialstore add user sa@x password " + SECRET + " colour blue"),
                ggsci("alter credentialstore delete user sa password " + SECRET + " alias tgt"),
                ggsci("alter credentialstore add user sa@x password ******** alias y"),
                ggsci("alter credentialstre add user sa@x password " + SECRET + " alias y"));
        for (GgsciOut o : outs) {
            assertEquals(1, o.rc(), o.text());
            assertTrue(o.text().startsWith("ERROR: "), o.text());
            assertFalse(o.text().contains("pw,") || o.text().contains("with,commas"), o.text());
        }
        assertTrue(outs.get(0).text().contains("already exists in domain OracleGoldenGate"));
        assertTrue(outs.get(6).text().contains("is the mask"), outs.get(6).text());
        GgsciOut noPassword = ggsci("alter credentialstore add user sa@x alias y"); // no input to ask: refused
        assertEquals(1, noPassword.rc());
        assertTrue(noPassword.text().contains("PASSWORD is required"), noPassword.text());

        // many commands on stdin: each is echoed, its password masked
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Ggsci.run(home, k -> null, List.of(), new ByteArrayInputStream(
                ("alter credentialstore replace user sa@jdbc:h2:mem:t password " + SECRET + " alias tgt\ninfo credentialstore\n")
                        .getBytes(StandardCharsets.UTF_8)), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("password ******** alias tgt"), text);
        assertFalse(text.contains("commas"), text);
        assertFalse(Files.readString(CredentialStore.of(home).file(), StandardCharsets.ISO_8859_1).contains("commas"));
    }

    @Test
    void obeyEchoesCommandsWithThePasswordMasked() throws Exception {
        ggsci("add credentialstore");
        Files.writeString(home.resolve("creds.oby"), "alter credentialstore add user sa@jdbc:h2:mem:t password " + SECRET + " alias tgt\n");
        GgsciOut obey = ggsci("obey creds.oby");
        assertEquals(0, obey.rc(), obey.text());
        assertTrue(obey.text().contains("password ******** alias tgt"), obey.text());
        assertFalse(obey.text().contains("commas"), obey.text());
        assertEquals(SECRET, CredentialStore.of(home).login("OracleGoldenGate", "tgt").password());
    }

    @Test
    void passwordLeftOutIsTheNextInputLineNeverEchoed() throws Exception {
        ggsci("add credentialstore");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Ggsci.run(home, k -> null, List.of(), new ByteArrayInputStream(
                ("alter credentialstore add user sa@jdbc:h2:mem:t alias tgt\n" + SECRET + "\ninfo credentialstore\n")
                        .getBytes(StandardCharsets.UTF_8)), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertFalse(text.contains("commas"), text);
        assertTrue(text.contains("Alias: tgt"), text);
        assertEquals(SECRET, CredentialStore.of(home).login("OracleGoldenGate", "tgt").password());
    }
}
