package io.redotrail.net.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * TLS 1.3 over an already connected TCP socket of the pump-collector link, with the JDK's own provider. The link
 * layer keeps creating and connecting its plain sockets (timeouts, proxies in tests); this class layers TLS on top:
 * {@link #connect} on the pump's side (checks the collector's chain and that its certificate names the host the
 * pump dialled), {@link #accept} on the collector's (optionally requiring a trusted client certificate). Failures
 * come back as {@link TlsException} naming the peer, the store and what to fix.
 * <p>
 * Wire: the TLS 1.3 handshake, then one application byte {@link #ACCEPTED} from the collector to the pump. TLS 1.3
 * checks the pump's certificate after the pump's last handshake message, so without that byte a refused pump would
 * learn of it only on some later read or as a broken pipe on a write; with it, {@link #connect} returns only once
 * the collector has accepted the pump, and fails with the collector's reason otherwise.
 * <p>
 * Thread-safe: one instance serves every connection of a pump or a collector.
 */
public final class TlsLink {
    public static final String PROTOCOL = "TLSv1.3";
    /** The collector's first application byte: the handshake, client certificate included, is accepted. */
    public static final int ACCEPTED = 0x06;
    /** Longest wait for the peer's next handshake message. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;
    /** Longest wait of a close for a write in progress (see {@link #handshake}). */
    static final int CLOSE_LINGER_SECONDS = 1;
    /** Read timeout to set before closing: how long a close waits for the peer's close_notify. */
    public static final int CLOSE_WAIT_MILLIS = 1000;

    private final TlsSettings settings;
    private final SSLContext context;
    private final TlsStores.Identity identity;

    private TlsLink(TlsSettings settings, SSLContext context, TlsStores.Identity identity) {
        this.settings = settings;
        this.context = context;
        this.identity = identity;
    }

    /** Reads and checks the stores now, so a bad set-up fails at start-up with the file and alias named. */
    public static TlsLink create(TlsSettings settings) throws TlsException {
        TlsStores.Identity id = settings.keyStore() == null ? null : TlsStores.identity(settings.keyStore());
        try {
            KeyManager[] keys = null;
            if (id != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(id.store(), settings.keyStore().password());
                keys = kmf.getKeyManagers();
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(TlsStores.trust(settings.trustStore()));
            SSLContext ctx = SSLContext.getInstance(PROTOCOL);
            ctx.init(keys, tmf.getTrustManagers(), null);
            return new TlsLink(settings, ctx, id);
        } catch (GeneralSecurityException e) {
            throw new TlsException("RTR-01611 cannot set up TLS from " + settings.keyStore() + " and trust store "
                    + settings.trustStore().file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pump side: TLS over {@code plain} (connected to {@code peerHost}), handshake done. Closes {@code plain} on
     * failure. With TLS 1.3 a collector that refuses the pump's certificate says so after the handshake: the first
     * read then fails, and {@link #explain} turns that failure into the same kind of message.
     */
    public SSLSocket connect(Socket plain, String peerHost) throws IOException {
        String peer = peerHost + ":" + plain.getPort();
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, peerHost, plain.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[]{PROTOCOL});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        return handshake(s, peer, true);
    }

    /** Collector side: TLS over an accepted socket, handshake done (and the pump's certificate checked when required). */
    public SSLSocket accept(Socket accepted) throws IOException {
        String peer = String.valueOf(accepted.getRemoteSocketAddress());
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true);
        s.setUseClientMode(false);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[]{PROTOCOL});
        p.setNeedClientAuth(settings.requireClientAuth());
        s.setSSLParameters(p);
        return handshake(s, peer, false);
    }

    private SSLSocket handshake(SSLSocket s, String peer, boolean client) throws IOException {
        try {
            // a silent peer (not TLS, or stalled) must not hold the handshake for ever, whatever the link's read timeout
            int readTimeout = s.getSoTimeout();
            s.setSoTimeout(readTimeout == 0 ? HANDSHAKE_TIMEOUT_MILLIS : Math.min(readTimeout, HANDSHAKE_TIMEOUT_MILLIS));
            s.startHandshake();
            if (client) {
                int b = s.getInputStream().read();
                if (b != ACCEPTED) {
                    throw new SSLException(b < 0 ? "the peer closed the connection after the handshake"
                            : "the peer's first byte after the handshake is " + b + ", not the link's " + ACCEPTED);
                }
            } else {
                s.getOutputStream().write(ACCEPTED);
                s.getOutputStream().flush();
            }
            s.setSoTimeout(readTimeout);
            // without SO_LINGER, closing a TLS socket waits for the write lock to send close_notify: a close from
            // another thread (the link's watchdog on a peer that stopped reading) would wait as long as the stalled
            // write. With it, close gives up after that many seconds and shuts the connection down under the writer.
            s.setSoLinger(true, CLOSE_LINGER_SECONDS);
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw explain(e, peer, client);
        }
    }

    /** What this side presents and accepts, for the report (never a password). */
    public String describe() {
        return PROTOCOL + (identity == null ? ", no certificate" : ", certificate " + identity.alias() + " of "
                + settings.keyStore().file() + " (" + identity.certificate().getSubjectX500Principal() + ", valid until "
                + identity.certificate().getNotAfter().toInstant() + ")") + ", trust store " + settings.trustStore().file()
                + (settings.requireClientAuth() ? ", client certificate required" : "");
    }

    /**
     * An I/O failure on a TLS socket of this link explained for an operator as a {@link TlsException} (a set-up the
     * peer refuses: retrying will not help); a failure that is the network's (a reset, a time-out, a connection
     * closed mid-handshake) comes back unchanged.
     *
     * @param client true on the pump's side
     */
    public IOException explain(IOException e, String peer, boolean client) {
        if (e instanceof TlsException) return e;
        String trust = settings.trustStore().file().toString();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return new TlsException("RTR-01616 the certificate of peer " + peer + " is not valid now: " + t.getMessage(), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return new TlsException("RTR-01615 the certificate of peer " + peer + " is not trusted by trust store "
                        + trust + " (its chain does not lead to a CA in that store): " + t.getMessage(), e);
            }
            String m = String.valueOf(t.getMessage());
            if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
                return new TlsException("RTR-01617 the certificate of peer " + peer + " does not name the host the pump connected to ("
                        + m + "): connect by a name in its subjectAltName or reissue it with that name", e);
            }
            boolean refusedCertificate = m.contains("Received fatal alert: bad_certificate") || m.contains("Received fatal alert: certificate_unknown")
                    || m.contains("Received fatal alert: unknown_ca") || m.contains("Received fatal alert: certificate_expired");
            // the JDK answers a missing client certificate with bad_certificate, TLS 1.3 peers may say certificate_required
            if (m.contains("Empty client certificate chain") || m.contains("certificate_required") || (client && identity == null && refusedCertificate)) {
                return new TlsException(client
                        ? "RTR-01618 collector " + peer + " requires a client certificate and this pump has none (set its key store)"
                        : "RTR-01618 pump " + peer + " presented no client certificate; this collector requires one", e);
            }
            if (refusedCertificate) {
                String mine = identity == null ? "none" : identity.alias() + " of " + settings.keyStore().file();
                return new TlsException("RTR-01619 peer " + peer + " refused this side's certificate (" + mine + "): "
                        + m.substring(m.indexOf("alert:") + 7) + "; its trust store must hold the CA that signed it, and it must be valid", e);
            }
        }
        // a timeout or a connection dropped mid-handshake is the network's, not TLS's: the link retries those
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.io.EOFException || t instanceof java.net.SocketException) return e;
        }
        if (String.valueOf(e.getMessage()).contains("Remote host terminated the handshake")) return e;
        if (e instanceof SSLException) {
            return new TlsException("RTR-01620 TLS handshake with peer " + peer + " failed (is it running TLS with "
                    + PROTOCOL + "?): " + e.getMessage(), e);
        }
        return e;
    }
}
