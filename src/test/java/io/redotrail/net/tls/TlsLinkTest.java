package io.redotrail.net.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS over real loopback sockets, a collector thread and a pump thread, with stores made by docs/security.md's
 * keytool commands ({@link SecurityDocStores#shared()}): a "good" home (the link's CA; collector and pump
 * certificates), a rogue CA with its own certificate for localhost, and an expired certificate of the good CA.
 */
class TlsLinkTest {
    private static final int TIMEOUT_MS = 30_000;
    static Path good;
    static Path rogue;

    @BeforeAll
    static void stores() throws Exception {
        SecurityDocStores.Homes h = SecurityDocStores.shared();
        good = h.good();
        rogue = h.rogue();
    }

    private static KeyStoreSpec store(Path home, String name) {
        return SecurityDocStores.store(home, name);
    }

    private static KeyStoreSpec trust() {
        return store(good, "trust");
    }

    /** What each side saw: the value it got, or the error it ended with. */
    record Outcome(String server, IOException serverError, String client, IOException clientError) {
    }

    /** The collector thread accepts one connection through {@code serverSide}; the pump dials localhost. */
    private static Outcome exchange(TlsLink collector, TlsLink pump, String host) throws Exception {
        return exchange(s -> collector.accept(s), pump, host);
    }

    interface ServerSide {
        SSLSocket accept(Socket plain) throws IOException;
    }

    private static Outcome exchange(ServerSide serverSide, TlsLink pump, String host) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<Object> server = pool.submit(() -> {
                try (Socket plain = ss.accept()) {
                    plain.setSoTimeout(TIMEOUT_MS);
                    SSLSocket s = serverSide.accept(plain);
                    String hello = new DataInputStream(s.getInputStream()).readUTF();
                    String peer = s.getNeedClientAuth() ? s.getSession().getPeerPrincipal().getName() : "an anonymous pump";
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeUTF(hello + " from " + peer + " over " + s.getSession().getProtocol());
                    out.flush();
                    s.close();
                    return hello + " from " + peer;
                } catch (IOException e) {
                    return e;
                }
            });
            String client = null;
            IOException clientError = null;
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), TIMEOUT_MS);
            plain.setSoTimeout(TIMEOUT_MS);
            String peer = host + ":" + ss.getLocalPort();
            try (SSLSocket s = pump.connect(plain, host)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeUTF("hello");
                out.flush();
                try {
                    client = new DataInputStream(s.getInputStream()).readUTF();
                } catch (IOException e) {
                    throw pump.explain(e, peer, true);
                }
            } catch (IOException e) {
                clientError = e;
            }
            Object r = server.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return r instanceof IOException e ? new Outcome(null, e, client, clientError) : new Outcome((String) r, null, client, clientError);
        } finally {
            pool.shutdownNow();
        }
    }

    private static TlsLink collector(String name, boolean requireClientAuth) throws TlsException {
        return TlsLink.create(new TlsSettings(store(good, name), trust(), requireClientAuth));
    }

    @Test
    void pumpChecksTheCollectorAndDataFlowsOverTls13() throws Exception {
        TlsLink pump = TlsLink.create(new TlsSettings(null, trust(), false));
        Outcome o = exchange(collector("collector", false), pump, "localhost");
        assertNull(o.clientError());
        assertNull(o.serverError());
        assertEquals("hello from an anonymous pump over TLSv1.3", o.client());
    }

    @Test
    void mutualAuthenticationAccepted() throws Exception {
        TlsLink pump = TlsLink.create(new TlsSettings(store(good, "pump"), trust(), false));
        Outcome o = exchange(collector("collector", true), pump, "localhost");
        assertNull(o.clientError());
        assertEquals("hello from CN=pump", o.server(), "the collector sees the pump's certificate");
        assertEquals("hello from CN=pump over TLSv1.3", o.client());
    }

    @Test
    void mutualAuthenticationRefusesAPumpWithoutCertificate() throws Exception {
        TlsLink pump = TlsLink.create(new TlsSettings(null, trust(), false));
        Outcome o = exchange(collector("collector", true), pump, "localhost");
        assertInstanceOf(TlsException.class, o.serverError());
        assertTrue(o.serverError().getMessage().startsWith("RTR-01618 pump /127.0.0.1:"), o.serverError().getMessage());
        assertTrue(o.serverError().getMessage().endsWith("presented no client certificate; this collector requires one"));
        assertNull(o.client(), "the pump must not get an answer");
        assertInstanceOf(TlsException.class, o.clientError(), String.valueOf(o.clientError()));
        assertTrue(o.clientError().getMessage().startsWith("RTR-01618 collector localhost:"), o.clientError().getMessage());
    }

    @Test
    void mutualAuthenticationRefusesAnUntrustedPumpCertificate() throws Exception {
        TlsLink pump = TlsLink.create(new TlsSettings(store(rogue, "mallory"), trust(), false));
        Outcome o = exchange(collector("collector", true), pump, "localhost");
        assertInstanceOf(TlsException.class, o.serverError());
        String m = o.serverError().getMessage();
        assertTrue(m.startsWith("RTR-01615 the certificate of peer /127.0.0.1:") && m.contains("is not trusted by trust store "
                + good.resolve("dircrt/trust.p12")), m);
        assertNull(o.client());
        String c = o.clientError().getMessage();
        // the collector's JDK closes at once after its alert; when the pump's last handshake flight reaches the
        // closed socket, TCP resets the connection and the alert not yet read is lost: the pump then sees a network
        // error (retried per TCPERRS, docs/security.md), never a success. Seen once in a verify ("Broken pipe").
        if (c.startsWith("RTR-01619")) {
            assertTrue(c.startsWith("RTR-01619 peer localhost:"), c);
            assertTrue(c.contains("refused this side's certificate (mallory of " + rogue.resolve("dircrt/mallory.p12")), c);
        } else {
            assertFalse(o.clientError() instanceof TlsException, c);
            assertTrue(c.contains("Broken pipe") || c.contains("Connection reset") || c.contains("closed"), c);
        }
    }

    @Test
    void pumpRefusesAnUntrustedCollector() throws Exception {
        TlsLink collector = TlsLink.create(new TlsSettings(store(rogue, "mallory"), trust(), false));
        TlsLink pump = TlsLink.create(new TlsSettings(null, trust(), false));
        Outcome o = exchange(collector, pump, "localhost");
        assertNull(o.client());
        String m = o.clientError().getMessage();
        assertTrue(m.startsWith("RTR-01615 the certificate of peer localhost:") && m.contains("not trusted by trust store "
                + good.resolve("dircrt/trust.p12")), m);
        assertNotNull(o.serverError(), "the collector must not complete a handshake the pump refused");
    }

    @Test
    void pumpRefusesACollectorCertificateForAnotherHost() throws Exception {
        TlsLink pump = TlsLink.create(new TlsSettings(null, trust(), false));
        Outcome o = exchange(collector("pump", false), pump, "localhost");
        assertNull(o.client());
        String m = o.clientError().getMessage();
        assertTrue(m.startsWith("RTR-01617 the certificate of peer localhost:") && m.contains("does not name the host the pump connected to"), m);
    }

    @Test
    void pumpRefusesAnExpiredCollectorCertificate() throws Exception {
        // our collector refuses to start with it (next test); a foreign or stale peer is a plain JDK TLS server
        var ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(good.resolve("dircrt/expired.p12"))) {
            ks.load(in, SecurityDocStores.STOREPASS.toCharArray());
        }
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, SecurityDocStores.STOREPASS.toCharArray());
        var ctx = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), null, null);
        TlsLink pump = TlsLink.create(new TlsSettings(null, trust(), false));
        Outcome o = exchange(plain -> {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true);
            s.setUseClientMode(false);
            s.startHandshake();
            return s;
        }, pump, "localhost");
        assertNull(o.client());
        assertTrue(o.clientError().getMessage().startsWith("RTR-01616 the certificate of peer localhost:"), o.clientError().getMessage());
    }

    @Test
    void aCollectorRefusesAPlainPumpAndAPumpAPlainCollector() throws Exception {
        TlsLink collector = collector("collector", false);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<IOException> server = pool.submit(() -> {
                    try (Socket plain = ss.accept()) {
                        plain.setSoTimeout(TIMEOUT_MS);
                        collector.accept(plain);
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                });
                try (Socket pump = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                    pump.getOutputStream().write("COLLECTOR ./dirdat/ha PUMHA\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    pump.getOutputStream().flush();
                    IOException e = server.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    assertInstanceOf(TlsException.class, e);
                    assertTrue(e.getMessage().startsWith("RTR-01620 TLS handshake with peer /127.0.0.1:"), e.getMessage());
                }
                // the other way round: a plain server that answers text
                Future<Object> plainServer = pool.submit(() -> {
                    try (Socket s = ss.accept()) {
                        s.getOutputStream().write("7840\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        s.getInputStream().read();
                    }
                    return null;
                });
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                plain.setSoTimeout(TIMEOUT_MS);
                TlsLink pump = TlsLink.create(new TlsSettings(null, trust(), false));
                IOException e = assertThrows(IOException.class, () -> pump.connect(plain, "localhost"));
                assertTrue(e.getMessage().startsWith("RTR-01620 TLS handshake with peer localhost:"), e.getMessage());
                plainServer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void ownStoresAreCheckedAtStartWithFileAndAlias() {
        Path expired = good.resolve("dircrt/expired.p12");
        String m = assertThrows(TlsException.class, () -> collector("expired", false)).getMessage();
        assertTrue(m.startsWith("RTR-01614 the certificate of alias expired in " + expired + " (CN=expired) expired on "), m);

        Path missing = good.resolve("dircrt/nosuch.p12");
        assertEquals("RTR-01611 key store " + missing + " does not exist (docs/security.md shows how keytool makes it)",
                assertThrows(TlsException.class, () -> collector("nosuch", false)).getMessage());

        Path collector = good.resolve("dircrt/collector.p12");
        assertEquals("RTR-01612 wrong password for key store " + collector, assertThrows(TlsException.class, () ->
                TlsLink.create(new TlsSettings(KeyStoreSpec.of(collector, "wrong".toCharArray()), trust(), false))).getMessage());

        assertEquals("RTR-01613 key store " + collector + " has no private key entry with alias pump (private key entries: [collector])",
                assertThrows(TlsException.class, () -> TlsLink.create(new TlsSettings(
                        new KeyStoreSpec(collector, SecurityDocStores.STOREPASS.toCharArray(), "pump"), trust(), false))).getMessage());

        assertTrue(assertThrows(TlsException.class, () -> TlsLink.create(new TlsSettings(null,
                new KeyStoreSpec(good.resolve("dircrt/ca.pem"), "x".toCharArray(), null), false))).getMessage()
                .startsWith("RTR-01611 cannot read trust store " + good.resolve("dircrt/ca.pem") + " as PKCS12"));
    }

    @Test
    void describeNamesStoresButNoPassword() throws Exception {
        String d = collector("collector", true).describe();
        assertTrue(d.startsWith("TLSv1.3, certificate collector of " + good.resolve("dircrt/collector.p12") + " (CN=collector, valid until "), d);
        assertTrue(d.endsWith(", trust store " + good.resolve("dircrt/trust.p12") + ", client certificate required"), d);
        assertTrue(!d.contains(SecurityDocStores.STOREPASS));
    }
}
