package io.redotrail.net.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Key stores made as an operator makes them: the numbered {@code sh} blocks of docs/security.md run verbatim by bash
 * with the JDK's keytool first on the PATH, so the page's commands are tested by every TLS test.
 *
 * <p>{@link #shared()} makes one set of stores per test JVM (surefire runs all unit tests in one reused fork) in a
 * fresh directory under target/: each keytool run is a JVM start, and the unit tests used to repeat the same ~50 of
 * them class by class. Thread-safe: the first caller makes the set under the class lock, later callers get the same
 * set (or the same failure, without running keytool again). The set is read only: a test that writes into a home
 * copies the files it needs first.
 */
public final class SecurityDocStores {
    public static final Path DOC = Path.of("docs/security.md");
    public static final String CAPASS = "ca-secret-1";
    public static final String STOREPASS = "store-secret-2";
    /** The collector's names: a pump dials it as localhost or 127.0.0.1. */
    public static final String COLLECTOR_SAN = "dns:localhost,ip:127.0.0.1";

    /**
     * The shared stores. {@code good}: blocks 1 and 2 (the link's CA, dircrt/trust.p12), block 3 for
     * {@code collector} ({@link #COLLECTOR_SAN}) and {@code pump} (dns:pump.example), and {@code expired}, block 3
     * with the certificate's validity moved into the past. {@code rogue}: another CA (blocks 1 and 2) and its
     * certificate {@code mallory} for the collector's names.
     */
    public record Homes(Path good, Path rogue) {
    }

    private static Homes shared;
    private static Exception sharedFailure;

    private SecurityDocStores() {
    }

    /** The stores of {@link Homes}, made by the first call in this JVM; do not write into them. */
    public static synchronized Homes shared() throws Exception {
        if (shared != null) return shared;
        if (sharedFailure != null) throw new IllegalStateException("the shared stores could not be made", sharedFailure);
        try {
            Path target = Files.createDirectories(Path.of("target"));
            Path dir = Files.createTempDirectory(target, "security-doc-stores-").toAbsolutePath();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete " + dir)); // one per JVM, not piling up
            Homes h = new Homes(dir.resolve("good"), dir.resolve("rogue"));
            // the rogue set shares no file with the good one: made beside it (keytool is one JVM at a time)
            java.util.concurrent.CompletableFuture<Void> rogue = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    run(1, h.rogue(), Map.of());
                    run(2, h.rogue(), Map.of());
                    run(3, h.rogue(), Map.of("NAME", "mallory", "SAN", COLLECTOR_SAN));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            run(1, h.good(), Map.of());
            run(2, h.good(), Map.of());
            run(3, h.good(), Map.of("NAME", "collector", "SAN", COLLECTOR_SAN));
            run(3, h.good(), Map.of("NAME", "pump", "SAN", "dns:pump.example"));
            String three = block(3);
            String expired = three.replace("-ext \"SAN=$SAN\" -validity 825", "-ext \"SAN=$SAN\" -startdate -400d -validity 30");
            if (expired.equals(three)) {
                throw new IllegalStateException("block 3 of docs/security.md no longer has the gencert validity the expired certificate shortens");
            }
            bash(expired, h.good(), Map.of("NAME", "expired", "SAN", COLLECTOR_SAN));
            try {
                rogue.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof Exception x) throw x;
                throw e;
            }
            shared = h;
            return h;
        } catch (Exception e) {
            sharedFailure = e;
            throw e;
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** Copies {@code from}'s dircrt/ files into {@code home}/dircrt, for a test that writes into the home. */
    public static void copyStores(Path from, Path home) throws IOException {
        Path to = Files.createDirectories(home.resolve("dircrt"));
        try (var files = Files.list(from.resolve("dircrt"))) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    /** The sh block of docs/security.md whose first line starts with {@code # n.}. */
    public static String block(int n) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```sh")) continue;
            List<String> body = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) body.add(lines.get(j));
            if (!body.isEmpty() && body.get(0).startsWith("# " + n + ".")) return String.join("\n", body) + "\n";
        }
        throw new IllegalStateException("docs/security.md has no sh block starting with '# " + n + ".'");
    }

    /** Runs block {@code n} of the page in {@code dir} with these extra variables (NAME, SAN). */
    public static void run(int n, Path dir, Map<String, String> vars) throws Exception {
        bash(block(n), dir, vars);
    }

    /** Runs a script with keytool on the PATH and the two passwords in the environment; fails with its output. */
    public static void bash(String script, Path dir, Map<String, String> vars) throws Exception {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder("bash", "-euc", script).directory(dir.toFile()).redirectErrorStream(true);
        Path jdkBin = Path.of(System.getProperty("java.home"), "bin");
        pb.environment().put("PATH", jdkBin + ":" + System.getenv("PATH"));
        // keytool runs for a second: C1 and the serial collector halve its CPU time; the commands stay the page's
        String tool = System.getenv("JAVA_TOOL_OPTIONS");
        pb.environment().put("JAVA_TOOL_OPTIONS", (tool == null ? "" : tool + " ") + "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        pb.environment().put("CAPASS", CAPASS);
        pb.environment().put("STOREPASS", STOREPASS);
        pb.environment().putAll(vars);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool script did not end within 120 s in " + dir + ":\n" + script);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + " in " + dir + ":\n" + script + "\n" + out);
    }

    public static KeyStoreSpec store(Path home, String name) {
        return KeyStoreSpec.of(home.resolve("dircrt/" + name + ".p12"), STOREPASS.toCharArray());
    }
}
