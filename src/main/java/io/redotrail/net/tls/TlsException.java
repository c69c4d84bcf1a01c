package io.redotrail.net.tls;

import java.io.IOException;

/**
 * A TLS set-up or handshake failure explained for an operator: the message starts with its RTR id and names the
 * key store file, the alias or the peer concerned. The cause keeps the JDK's own exception.
 */
public final class TlsException extends IOException {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
