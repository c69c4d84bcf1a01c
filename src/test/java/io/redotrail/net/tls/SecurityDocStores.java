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
 */
public final class SecurityDocStores {
    public static final Path DOC = Path.of("docs/security.md");
    public static final String CAPASS = "ca-secret-1";
    public static final String STOREPASS = "store-secret-2";

    private SecurityDocStores() {
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
