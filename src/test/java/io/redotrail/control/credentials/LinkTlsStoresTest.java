package io.redotrail.control.credentials;

import io.redotrail.net.tls.SecurityDocStores;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.net.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkTlsStoresTest {
    @TempDir
    Path home;

    @Test
    void credentialAliasesNameTheStoresAndTheirPasswords() throws Exception {
        SecurityDocStores.copyStores(SecurityDocStores.shared().good(), home); // the credential store goes into home
        CredentialStore cs = CredentialStore.of(home);
        cs.create();
        cs.add(CredentialStore.DEFAULT_DOMAIN, "linkkey", "collector@dircrt/collector.p12", SecurityDocStores.STOREPASS);
        cs.add(CredentialStore.DEFAULT_DOMAIN, "linktrust", "ca@dircrt/trust.p12", SecurityDocStores.STOREPASS);

        TlsSettings s = LinkTlsStores.settings(home, "linkkey", "linktrust", true);
        assertEquals(home.toAbsolutePath().normalize().resolve("dircrt/collector.p12"), s.keyStore().file());
        assertEquals("collector", s.keyStore().alias());
        assertNull(s.trustStore().alias());
        String d = TlsLink.create(s).describe();
        assertTrue(d.startsWith("TLSv1.3, certificate collector of " + s.keyStore().file()), d);

        CredentialStore.CredentialException e = assertThrows(CredentialStore.CredentialException.class,
                () -> LinkTlsStores.settings(home, null, "nosuch", false));
        assertTrue(e.getMessage().startsWith("The alias nosuch does not exist in domain OracleGoldenGate"), e.getMessage());
    }
}
