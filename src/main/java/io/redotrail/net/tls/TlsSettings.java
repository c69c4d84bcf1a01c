package io.redotrail.net.tls;

/**
 * One side of a TLS link. The collector (server) always has a key store; the pump (client) needs one only when the
 * collector requires client certificates. Both check the peer's chain against {@code trustStore}; the pump also
 * checks that the collector's certificate names the host it dialled.
 *
 * @param keyStore          this side's certificate and private key, or null (a pump without mutual authentication)
 * @param trustStore        the CA certificates this side accepts a peer's chain from
 * @param requireClientAuth server side: refuse a pump that presents no trusted certificate
 */
public record TlsSettings(KeyStoreSpec keyStore, KeyStoreSpec trustStore, boolean requireClientAuth) {
    public TlsSettings {
        if (trustStore == null) throw new IllegalArgumentException("RTR-01611 TLS needs a trust store");
    }
}
