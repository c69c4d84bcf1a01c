package io.redotrail.bench;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.Transaction;
import io.redotrail.net.FrameCodec;
import io.redotrail.net.Link;
import io.redotrail.net.LinkOptions;
import io.redotrail.net.LinkSockets;
import io.redotrail.net.compress.Compression;
import io.redotrail.net.compress.CompressionCounters;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.net.tls.KeyStoreSpec;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.net.tls.TlsSettings;
import io.redotrail.runtime.Settings;
import io.redotrail.trail.RowRecords;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the pump–collector link's framing alone over loopback TCP ({@code bench link --framing}; the real pump → collector
 * path against a local copy is {@link PumpLinkBench}): the ROW records of a played
 * workload (the trail's own encoder, cut into chunks of about 1 MB of whole transactions, as the remote sink sends
 * them) go as frames from one thread to another that receives and decodes them, over plain TCP, with COMPRESS (LZ4,
 * zstd) and over TLS 1.3 with and without COMPRESS. A run ends when the receiver acknowledges the last frame; each
 * figure is the median of the runs, after one unmeasured run of the same case. The collector's fsync and the pump's reading are not in it (the pipeline
 * bench has those): this is the link's own cost. TLS uses a self-signed certificate that keytool makes in the
 * scratch home's {@code dircrt/}.
 */
public final class LinkBench {
    private static final int CHUNK = 1 << 20;
    private static final int DATA = 1, END = 2, ACK = 3;

    public record Options(int transactions, int repeat, Path output) {
    }

    record Case(String name, CompressionOptions compression, boolean tls) {
    }

    /** One case: payload bytes, bytes on the wire (payloads after COMPRESS), median seconds. */
    record Result(Case c, long rawBytes, long wireBytes, double seconds) {
        double mbPerSecond() {
            return rawBytes / 1e6 / seconds;
        }

        double ratio() {
            return (double) rawBytes / wireBytes;
        }
    }

    private LinkBench() {
    }

    /** Wipes {@code s}'s home ({@link BenchHome#wipe}), plays the workload, measures, prints and writes the section. */
    public static List<Result> run(Settings s, Options o, PrintStream out) throws Exception {
        Path home = s.home();
        BenchHome.wipe(home);
        PrewrittenTrail.Contents trail = PrewrittenTrail.prepare(s, o.transactions(), 42);
        List<byte[]> chunks = chunks(trail.transactions());
        long raw = chunks.stream().mapToLong(c -> c.length).sum();
        out.printf("link bench: %,d transactions, %,d bytes of ROW records in %d chunks%n", trail.transactions().size(), raw, chunks.size());
        TlsLink[] tls = selfSigned(home.resolve("dircrt"));
        List<Case> cases = List.of(
                new Case("plain TCP", CompressionOptions.OFF, false),
                new Case("COMPRESS (LZ4)", new CompressionOptions(Compression.LZ4, CompressionOptions.DEFAULT_THRESHOLD), false),
                new Case("COMPRESS, COMPRESSALGORITHM ZSTD", new CompressionOptions(Compression.ZSTD, CompressionOptions.DEFAULT_THRESHOLD), false),
                new Case("TLS", CompressionOptions.OFF, true),
                new Case("TLS, COMPRESS (LZ4)", new CompressionOptions(Compression.LZ4, CompressionOptions.DEFAULT_THRESHOLD), true),
                new Case("TLS, COMPRESS, COMPRESSALGORITHM ZSTD", new CompressionOptions(Compression.ZSTD, CompressionOptions.DEFAULT_THRESHOLD), true));
        List<Result> results = new ArrayList<>();
        for (Case c : cases) {
            send(chunks, c, tls); // warm-up of this case's code (TLS, codec), not measured
            List<double[]> runs = new ArrayList<>();
            for (int i = 0; i < o.repeat(); i++) runs.add(send(chunks, c, tls));
            runs.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] median = runs.get(runs.size() / 2);
            Result r = new Result(c, raw, (long) median[1], median[0]);
            results.add(r);
            out.printf("%-40s %8.2f s %10.1f MB/s  ratio %.2f:1%n", c.name(), r.seconds(), r.mbPerSecond(), r.ratio());
        }
        if (o.output() != null) PerformanceReport.replaceSection(o.output(), "link-framing", section(trail, raw, chunks.size(), o, results));
        return results;
    }

    /** Whole transactions' ROW records, cut after the transaction that reaches about 1 MB (as the remote sink does). */
    static List<byte[]> chunks(List<Transaction> txs) {
        List<byte[]> out = new ArrayList<>();
        BinaryWriter w = new BinaryWriter(CHUNK + (64 << 10));
        for (Transaction t : txs) {
            RowRecords.writeTransaction(w, t);
            if (w.position() >= CHUNK) {
                out.add(w.toByteArray());
                w.clear();
            }
        }
        if (w.position() > 0) out.add(w.toByteArray());
        return out;
    }

    /** One run: {seconds, wire bytes}. */
    private static double[] send(List<byte[]> chunks, Case c, TlsLink[] tls) throws Exception {
        LinkOptions server = LinkOptions.DEFAULT.withTimeout(60_000);
        LinkOptions client = LinkOptions.DEFAULT.withTimeout(60_000);
        if (c.tls()) {
            server = server.withTls(tls[0]);
            client = client.withTls(tls[1]);
        }
        CompressionCounters counters = new CompressionCounters();
        client = client.withCompression(c.compression(), counters);
        LinkOptions serverOptions = server;
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "link bench receiver"));
        try (ServerSocket ss = LinkSockets.listen(InetAddress.getLoopbackAddress(), List.of(), server)) {
            Future<Long> receiver = thread.submit(() -> {
                try (Socket s = LinkSockets.accept(ss, serverOptions); Link l = new Link(s, "bench pump", serverOptions)) {
                    long bytes = 0;
                    for (FrameCodec.Frame f = l.receive(); f.type() != END; f = l.receive()) bytes += f.payload().length;
                    l.send(ACK, ByteBuffer.allocate(8).putLong(bytes).array());
                    l.flush();
                    return bytes;
                }
            });
            try (Link l = new Link(LinkSockets.connect("127.0.0.1", ss.getLocalPort(), client), "bench collector", client)) {
                long start = System.nanoTime();
                for (byte[] chunk : chunks) l.send(DATA, chunk);
                l.send(END, new byte[0]);
                l.flush();
                FrameCodec.Frame ack = l.receive();
                double seconds = (System.nanoTime() - start) / 1e9;
                long received = ByteBuffer.wrap(ack.payload()).getLong();
                long sent = chunks.stream().mapToLong(b -> b.length).sum();
                if (ack.type() != ACK || received != sent) {
                    throw new IllegalStateException(c.name() + ": the receiver got " + received + " bytes of " + sent);
                }
                try {
                    receiver.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    StringBuilder where = new StringBuilder();
                    Thread.getAllStackTraces().forEach((t, st) -> {
                        if (t.getName().equals("link bench receiver")) for (StackTraceElement x : st) where.append("\n  at ").append(x);
                    });
                    throw new IllegalStateException(c.name() + ": the receiver did not end" + where, e);
                }
                return new double[]{seconds, counters.wireBytes() == 0 ? sent : counters.wireBytes()};
            }
        } finally {
            thread.shutdownNow();
        }
    }

    /** {server, client}: a self-signed certificate for 127.0.0.1 made by keytool, trusted as itself. */
    private static TlsLink[] selfSigned(Path dir) throws Exception {
        Files.createDirectories(dir);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String pass = Base64.getUrlEncoder().encodeToString(random);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(dir, pass, keytool, "-genkeypair", "-alias", "collector", "-keyalg", "EC", "-groupname", "secp384r1", "-dname",
                "CN=link bench", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", "bench.p12",
                "-storepass:env", "BENCHPASS");
        keytool(dir, pass, keytool, "-exportcert", "-rfc", "-alias", "collector", "-keystore", "bench.p12",
                "-storepass:env", "BENCHPASS", "-file", "bench.pem");
        keytool(dir, pass, keytool, "-importcert", "-noprompt", "-alias", "bench", "-file", "bench.pem", "-storetype", "PKCS12",
                "-keystore", "benchtrust.p12", "-storepass:env", "BENCHPASS");
        KeyStoreSpec trust = KeyStoreSpec.of(dir.resolve("benchtrust.p12"), pass.toCharArray());
        return new TlsLink[]{TlsLink.create(new TlsSettings(KeyStoreSpec.of(dir.resolve("bench.p12"), pass.toCharArray()), trust, false)),
                TlsLink.create(new TlsSettings(null, trust, false))};
    }

    /** Runs keytool {@code cmd} in {@code dir} with the store password in environment variable BENCHPASS. */
    static void keytool(Path dir, String pass, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("BENCHPASS", pass);
        Process p = pb.start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool " + cmd[1] + " failed in " + dir + ": " + text);
        }
    }

    private static String section(PrewrittenTrail.Contents trail, long raw, int chunks, Options o, List<Result> results) {
        StringBuilder sb = new StringBuilder("### The link's framing alone (`bench link --framing`)\n\n");
        sb.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE)).append(" on ")
                .append(PerformanceReport.machine()).append(".\n");
        sb.append(String.format("`bin/redotrail bench link --framing --transactions %d --repeat %d`: the ROW records of %,d transactions"
                        + " (%,d row changes, %,d bytes in %d frames of about 1 MB) sent by one thread and received by another over"
                        + " loopback TCP through the link's framing (`net.Link`), median of %d runs after one warm-up run. No fsync, no trail reading:"
                        + " the link's own cost, the ceiling of a pump sending to a collector.%n%n",
                o.transactions(), o.repeat(), trail.transactions().size(), trail.operations(), raw, chunks, o.repeat()));
        sb.append("| link | seconds | MB/s (trail bytes) | bytes on the wire | ratio |\n|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format("| %s | %.2f | %,.1f | %,d | %.2f:1 |%n", r.c().name(), r.seconds(), r.mbPerSecond(), r.wireBytes(), r.ratio()));
        }
        return sb.toString();
    }
}
