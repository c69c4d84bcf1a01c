package io.redotrail.it.net;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.redotrail.it.ItSupport.PROJECT;
import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two hosts in two network namespaces: a TCP echo server JVM on the target host (10.230.51.143:7809, seed 000's
 * address and port) answers a client JVM on the source host byte for byte; the target host is unreachable from
 * the root namespace (this JVM): no interface or route there, and a connection tried from here never reaches its
 * server (a sandbox's default gateway may accept any TCP connection, so "connect fails" alone proves nothing); closing ends the server and deletes both namespaces; a namespace left behind
 * by a run whose JVM is gone is deleted by the next run.
 */
class NetnsIT {
    private static final Path LOGS = PROJECT.resolve("target/it-logs/NetnsIT");

    static List<String> java(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", PROJECT.resolve("target/test-classes").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void echoBetweenTheNamespacesAndNoRouteFromTheRootNamespace() throws Exception {
        Path serverLog = LOGS.resolve("echo-server.log");
        Files.createDirectories(LOGS);
        Files.deleteIfExists(serverLog);
        Process server;
        String source;
        String target;
        try (Netns n = Netns.create()) {
            source = n.source;
            target = n.target;
            assertTrue(Netns.existing().containsAll(List.of(source, target)), Netns.existing().toString());
            server = n.start(n.target, serverLog, java(EchoServer.class.getName(), "server", Netns.TARGET_ADDRESS, "7809"));
            await("the echo server in " + n.target + " to listen", Duration.ofSeconds(60),
                    () -> read(serverLog).contains("listening /" + Netns.TARGET_ADDRESS + ":7809"),
                    () -> read(serverLog) + (server.isAlive() ? "" : " (exited " + server.exitValue() + ")"));

            // the root namespace has no interface on 10.230.51.0/24: whatever answers a connection from here (a
            // sandbox's gateway may accept any), it is not the target host: its server never sees the connection
            Netns.Result route = Netns.host(Duration.ofSeconds(10), List.of("ip", "route", "get", Netns.TARGET_ADDRESS));
            assertFalse(route.output().contains("veth"), route.output());
            Netns.Result rootAddr = Netns.host(Duration.ofSeconds(10), List.of("ip", "-4", "-o", "addr", "show"));
            assertFalse(rootAddr.output().contains("10.230.51."), rootAddr.output());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Netns.TARGET_ADDRESS, 7809), 3_000);
                s.setSoTimeout(2_000);
                s.getOutputStream().write(EchoServer.payload(42, 1000));
                System.out.println("root namespace -> " + Netns.TARGET_ADDRESS + ":7809 connected (not to the target host): "
                        + s.getInputStream().read());
            } catch (IOException e) {
                System.out.println("root namespace -> " + Netns.TARGET_ADDRESS + ":7809: " + e);
            }

            Netns.Result echo = n.run(n.source, Duration.ofSeconds(60),
                    java(EchoServer.class.getName(), "client", Netns.TARGET_ADDRESS, "7809", "300000"));
            assertEquals(0, echo.exitCode(), echo.output());
            assertTrue(echo.output().contains("echo ok 300000"), echo.output());
            // the server accepts in handshake order: the root namespace's try, had it arrived, would be listed first
            await("the server to log the client's connection", Duration.ofSeconds(10),
                    () -> read(serverLog).contains("connection from"), () -> read(serverLog));
            List<String> connections = read(serverLog).lines().filter(l -> l.startsWith("connection from")).toList();
            assertEquals(1, connections.size(), read(serverLog));
            assertTrue(connections.get(0).startsWith("connection from /" + Netns.SOURCE_ADDRESS + ":"), connections.toString());

            Netns.Result addr = n.run(n.source, Duration.ofSeconds(10), List.of("ip", "-4", "-o", "addr", "show"));
            assertTrue(addr.output().contains(Netns.SOURCE_ADDRESS + "/24"), addr.output());
            assertFalse(addr.output().contains(Netns.TARGET_ADDRESS), addr.output());
        }
        assertFalse(server.isAlive(), "close ends the processes it started");
        List<String> left = Netns.existing();
        assertFalse(left.contains(source) || left.contains(target), "namespaces left: " + left);
    }

    @Test
    void aNamespaceOfARunThatIsGoneIsDeleted() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String leftover = "rtnet-" + gone.pid() + "-1-src";
        assertEquals(0, new ProcessBuilder("ip", "netns", "add", leftover).inheritIO().start().waitFor());
        try (Netns n = Netns.create()) {
            assertFalse(Netns.existing().contains(leftover), Netns.existing().toString());
            assertTrue(Netns.existing().contains(n.source));
        } finally {
            new ProcessBuilder("ip", "netns", "delete", leftover).start().waitFor(); // when the test failed
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
