package io.redotrail.control.credentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credential store on real files: encrypted at rest, key owner-only, tamper detected, secrets never in messages. */
class CredentialStoreTest {
    private static final String SECRET = "Tr0ub4dor&3-secret";
    private static final String URL = "jdbc:h2:file:/tmp/x/db/target;AUTO_SERVER=TRUE";

    @TempDir
    Path home;

    @Test
    void addReplaceDeleteAndLogin() {
        CredentialStore s = CredentialStore.of(home);
        s.create();
        s.add("OracleGoldenGate", "tgt", "sa@" + URL, SECRET);
        s.add("prod", "tgt", "ggadmin@jdbc:postgresql://db:5432/x", "other-pw");
        assertEquals(List.of(new CredentialStore.Entry("OracleGoldenGate", "tgt", "sa@" + URL),
                new CredentialStore.Entry("prod", "tgt", "ggadmin@jdbc:postgresql://db:5432/x")), s.entries());
        CredentialStore.Login l = s.login("oraclegoldengate", "TGT");
        assertEquals("sa", l.user());
        assertEquals(URL, l.jdbcUrl());
        assertEquals(SECRET, l.password());
        assertFalse(l.toString().contains(SECRET), l.toString());

        s.replace("OracleGoldenGate", "tgt", "app@" + URL, "new-pw");
        assertEquals("new-pw", CredentialStore.of(home).login("OracleGoldenGate", "tgt").password());
        assertEquals("app", CredentialStore.of(home).login("OracleGoldenGate", "tgt").user());
        s.delete("OracleGoldenGate", "tgt", "app");
        assertEquals(1, s.entries().size());
        assertThrows(CredentialStore.CredentialException.class, () -> s.login("OracleGoldenGate", "tgt"));
    }

    @Test
    void secretsAreEncryptedAtRestAndTheKeyIsOwnerOnly() throws Exception {
        CredentialStore s = CredentialStore.of(home);
        s.create();
        s.add("OracleGoldenGate", "tgt", "sa@" + URL, SECRET);
        String stored = Files.readString(s.file(), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains(SECRET), "password in the store file");
        assertFalse(stored.contains("jdbc:h2"), "user id in the store file");
        assertEquals(home.resolve("dircrd/cwallet.sso"), s.file());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.keyFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.keyFile().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file())));
        // a fresh nonce per write: the same content encrypts differently
        s.replace("OracleGoldenGate", "tgt", "sa@" + URL, SECRET);
        assertFalse(stored.equals(Files.readString(s.file(), StandardCharsets.ISO_8859_1)));
    }

    @Test
    void refusalsNameAliasAndDomainButNeverTheSecret() throws Exception {
        CredentialStore s = CredentialStore.of(home);
        assertTrue(assertThrows(CredentialStore.CredentialException.class, () -> s.login("OracleGoldenGate", "tgt"))
                .getMessage().contains("ADD CREDENTIALSTORE"));
        s.create();
        assertThrows(CredentialStore.CredentialException.class, s::create);
        s.add("OracleGoldenGate", "tgt", "sa@" + URL, SECRET);
        List<Exception> errors = List.of(
                assertThrows(CredentialStore.CredentialException.class, () -> s.add("OracleGoldenGate", "tgt", "sa@" + URL, SECRET)),
                assertThrows(CredentialStore.CredentialException.class, () -> s.add("OracleGoldenGate", "x", "nourl", SECRET)),
                assertThrows(CredentialStore.CredentialException.class, () -> s.replace("OracleGoldenGate", "nope", "sa@" + URL, SECRET)),
                assertThrows(CredentialStore.CredentialException.class, () -> s.delete("OracleGoldenGate", "tgt", "someoneelse")),
                assertThrows(CredentialStore.CredentialException.class, () -> s.login("prod", "tgt")));
        for (Exception e : errors) assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertTrue(errors.get(0).getMessage().contains("already exists in domain OracleGoldenGate"));
        assertTrue(errors.get(4).getMessage().contains("does not exist in domain prod"));
    }

    @Test
    void aChangedByteOrAnotherKeyIsDetected() throws Exception {
        CredentialStore s = CredentialStore.of(home);
        s.create();
        s.add("OracleGoldenGate", "tgt", "sa@" + URL, SECRET);
        List<String> lines = Files.readAllLines(s.file());
        String data = lines.get(2);
        char c = data.charAt(10);
        Files.write(s.file(), List.of(lines.get(0), lines.get(1), data.substring(0, 10) + (c == 'A' ? 'B' : 'A') + data.substring(11)));
        String m = assertThrows(CredentialStore.CredentialException.class, s::entries).getMessage();
        assertTrue(m.contains("cannot be decrypted"), m);
        Files.delete(s.keyFile());
        m = assertThrows(CredentialStore.CredentialException.class, s::entries).getMessage();
        assertTrue(m.contains("key") && m.contains("missing"), m);
    }

    @Test
    void passwordsAreMaskedInCommandLines() {
        assertEquals("alter credentialstore add user sa@jdbc:h2:mem:x password ******** alias tgt",
                CredentialStore.maskPasswords("alter credentialstore add user sa@jdbc:h2:mem:x password s3,cr3t alias tgt"));
        assertEquals("USERID sa, PASSWORD ******** ", CredentialStore.maskPasswords("USERID sa, PASSWORD 'a b' "));
        assertFalse(CredentialStore.maskPasswords("x PASSWORD \"p w\"").contains("p w"));
    }
}
