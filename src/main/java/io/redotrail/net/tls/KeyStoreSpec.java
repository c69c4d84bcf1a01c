package io.redotrail.net.tls;

import java.nio.file.Path;

/**
 * A PKCS12 file under the home (e.g. {@code dircrt/collector.p12}), its password, and for a key store the alias of
 * the entry to present (null: the store's only private key entry). The password comes from the caller (the control
 * layer reads it from the credential store); this package never reads or logs it.
 */
public record KeyStoreSpec(Path file, char[] password, String alias) {
    public KeyStoreSpec {
        if (file == null) throw new IllegalArgumentException("no key store file given");
        if (password == null) throw new IllegalArgumentException("no password given for key store " + file);
    }

    public static KeyStoreSpec of(Path file, char[] password) {
        return new KeyStoreSpec(file, password, null);
    }

    @Override
    public String toString() {
        return file + (alias == null ? "" : " alias " + alias);
    }
}
