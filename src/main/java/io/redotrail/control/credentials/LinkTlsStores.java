package io.redotrail.control.credentials;

import io.redotrail.net.tls.KeyStoreSpec;
import io.redotrail.net.tls.TlsSettings;

import java.nio.file.Path;

/**
 * The TLS stores of the pump–collector link, named by credential-store aliases so that no store password is written
 * in a parameter file: the entry's user id is {@code keyAlias@storeFile} (the alias of the entry inside the PKCS12
 * file, then the file, relative to the home), its password the store's. For example
 * {@code ALTER CREDENTIALSTORE ADD USER collector@dircrt/collector.p12 ALIAS linkkey} and
 * {@code ALTER CREDENTIALSTORE ADD USER ca@dircrt/trust.p12 ALIAS linktrust} (a trust store's key alias is not
 * used). Stateless.
 */
public final class LinkTlsStores {
    private LinkTlsStores() {
    }

    /**
     * One side's TLS as its parameters name it: {@code keyAlias} (null: no certificate of its own), {@code trustAlias},
     * and for a collector whether pumps must present a certificate.
     */
    public record Aliases(String keyAlias, String trustAlias, boolean clientAuth) {
        public Aliases {
            if (trustAlias == null) throw new IllegalArgumentException("TLS needs a trust store alias");
        }

        /** The settings of these aliases in {@code home}'s credential store. */
        public TlsSettings settings(Path home) {
            return LinkTlsStores.settings(home, keyAlias, trustAlias, clientAuth);
        }
    }

    /**
     * The store of credential alias {@code alias} (default domain). A CredentialException names the alias when the
     * store or the alias is missing.
     */
    public static KeyStoreSpec store(Path home, String alias, boolean keyStore) {
        CredentialStore.Login l = CredentialStore.of(home).login(CredentialStore.DEFAULT_DOMAIN, alias);
        Path file = home.toAbsolutePath().normalize().resolve(l.jdbcUrl());
        return new KeyStoreSpec(file, l.password().toCharArray(), keyStore ? l.user() : null);
    }

    /**
     * One side's settings: {@code keyAlias} (null: no certificate of its own, a pump without mutual authentication)
     * and {@code trustAlias} credential aliases.
     */
    public static TlsSettings settings(Path home, String keyAlias, String trustAlias, boolean requireClientAuth) {
        return new TlsSettings(keyAlias == null ? null : store(home, keyAlias, true), store(home, trustAlias, false), requireClientAuth);
    }
}
