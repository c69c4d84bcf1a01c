package io.redotrail.cli;

import io.redotrail.control.collector.CollectorMain;
import io.redotrail.control.credentials.LinkTlsStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code collector}: the collector of one remote trail, started by the target Manager when a pump asks for it
 * ({@link CollectorMain}); hidden from the help, an operator never starts it.
 */
@Command(name = "collector", hidden = true, description = "The collector of one remote trail (started by the Manager for a pump).")
final class CollectorCommand implements Callable<Integer> {
    @Option(names = "--home", paramLabel = "DIR", required = true, description = "the target home")
    Path home;

    @Option(names = "--trail", paramLabel = "TRAIL", required = true, description = "the remote trail, ./dirdat/xx")
    String trail;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "LISTENADDRESS")
    String listen;

    @Option(names = "--ports", paramLabel = "RANGES", defaultValue = "", description = "DYNAMICPORTLIST as 7840-7850,7860; empty: any")
    String ports;

    @Option(names = "--port-file", paramLabel = "FILE", required = true, description = "where the port listened on is written")
    Path portFile;

    @Option(names = "--accept-timeout", paramLabel = "SECONDS", defaultValue = "120", description = "exit when no pump connects in time")
    int acceptTimeoutSeconds;

    @Option(names = "--tls-key-alias", paramLabel = "ALIAS", description = "COLLECTORTLS KEYALIAS: TLS with this key store")
    String tlsKeyAlias;

    @Option(names = "--tls-trust-alias", paramLabel = "ALIAS", description = "COLLECTORTLS TRUSTALIAS")
    String tlsTrustAlias;

    @Option(names = "--group", paramLabel = "GROUP", description = "the pump the Manager starts it for (kept in its lock record)")
    String group;

    @Option(names = "--tls-client-auth", description = "COLLECTORTLS CLIENTAUTH: pumps must present a trusted certificate")
    boolean tlsClientAuth;

    @Override
    public Integer call() throws Exception {
        LinkTlsStores.Aliases tls = tlsKeyAlias == null ? null : new LinkTlsStores.Aliases(tlsKeyAlias, tlsTrustAlias, tlsClientAuth);
        return new CollectorMain(home, trail, InetAddress.getByName(listen), CollectorMain.ports(ports), portFile,
                acceptTimeoutSeconds * 1000, tls, group).run();
    }
}
