package io.redotrail.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the PKCS12 stores of {@link TlsSettings} and checks them before any socket opens, so a missing file, a wrong
 * password, a missing alias or an expired certificate is reported with the file and alias at start-up rather than
 * as a handshake failure on the peer.
 */
final class TlsStores {
    private TlsStores() {
    }

    /** This side's key: a store holding only the chosen entry (so the JDK's key manager cannot pick another). */
    record Identity(KeyStore store, String alias, X509Certificate certificate) {
    }

    static Identity identity(KeyStoreSpec spec) throws TlsException {
        KeyStore ks = load(spec, "key store");
        try {
            List<String> keys = new ArrayList<>();
            for (String a : Collections.list(ks.aliases())) if (ks.isKeyEntry(a)) keys.add(a);
            String alias = spec.alias();
            if (alias == null) {
                if (keys.size() != 1) {
                    throw new TlsException("RTR-01613 key store " + spec.file() + " holds " + keys.size()
                            + " private key entries " + keys + ": name the one to present");
                }
                alias = keys.get(0);
            } else if (!ks.isKeyEntry(alias)) {
                throw new TlsException("RTR-01613 key store " + spec.file() + " has no private key entry with alias "
                        + alias + " (private key entries: " + keys + ")");
            }
            Key key;
            try {
                key = ks.getKey(alias, spec.password());
            } catch (UnrecoverableKeyException e) {
                throw new TlsException("RTR-01612 the key of alias " + alias + " in " + spec.file()
                        + " has another password than the store (PKCS12 stores made by keytool use one for both)", e);
            }
            Certificate[] chain = ks.getCertificateChain(alias);
            if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                throw new TlsException("RTR-01613 alias " + alias + " in " + spec.file() + " is not a private key with an X.509 certificate chain");
            }
            try {
                leaf.checkValidity();
            } catch (CertificateExpiredException e) {
                throw new TlsException("RTR-01614 the certificate of alias " + alias + " in " + spec.file() + " ("
                        + leaf.getSubjectX500Principal() + ") expired on " + leaf.getNotAfter().toInstant() + ": renew it", e);
            } catch (CertificateNotYetValidException e) {
                throw new TlsException("RTR-01614 the certificate of alias " + alias + " in " + spec.file() + " ("
                        + leaf.getSubjectX500Principal() + ") is not valid before " + leaf.getNotBefore().toInstant(), e);
            }
            KeyStore only = KeyStore.getInstance("PKCS12");
            only.load(null, null);
            only.setKeyEntry(alias, pk, spec.password(), chain);
            return new Identity(only, alias, leaf);
        } catch (IOException | GeneralSecurityException e) {
            if (e instanceof TlsException t) throw t;
            throw new TlsException("RTR-01611 cannot use key store " + spec.file() + ": " + e.getMessage(), e);
        }
    }

    static KeyStore trust(KeyStoreSpec spec) throws TlsException {
        KeyStore ks = load(spec, "trust store");
        try {
            for (String a : Collections.list(ks.aliases())) if (ks.isCertificateEntry(a)) return ks;
        } catch (GeneralSecurityException e) {
            throw new TlsException("RTR-01611 cannot read trust store " + spec.file() + ": " + e.getMessage(), e);
        }
        throw new TlsException("RTR-01611 trust store " + spec.file() + " holds no trusted certificate: import the link's CA (keytool -importcert)");
    }

    private static KeyStore load(KeyStoreSpec spec, String what) throws TlsException {
        try (InputStream in = Files.newInputStream(spec.file())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, spec.password());
            return ks;
        } catch (NoSuchFileException e) {
            throw new TlsException("RTR-01611 " + what + " " + spec.file() + " does not exist (docs/security.md shows how keytool makes it)", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsException("RTR-01612 wrong password for " + what + " " + spec.file(), e);
            }
            throw new TlsException("RTR-01611 cannot read " + what + " " + spec.file() + " as PKCS12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new TlsException("RTR-01611 cannot read " + what + " " + spec.file() + ": " + e.getMessage(), e);
        }
    }
}
