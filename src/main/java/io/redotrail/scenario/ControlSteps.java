package io.redotrail.scenario;

import io.redotrail.report.GroupLock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control-plane steps of a scenario ({@link Step.ControlCmd}): {@code ggsci "CMD" [prints "TEXT"]}, {@code wait
 * ggsci "CMD" prints "TEXT"}, {@code param NAME ... end param} ({@code {free port}} in its lines: a free loopback port). GGSCI runs as {@code bin/redotrail ggsci CMD --home H
 * --config C} in a child JVM (the runner's configuration copy, so a Manager it starts with {@code start mgr} and the
 * groups that Manager starts read the script's {@code set} lines too). {@link #stopManager} at the end of the run
 * stops a Manager the script left running ({@code stop mgr!}: its groups stop with it). Not thread-safe.
 */
final class ControlSteps {
    private static final Pattern XID_REF = Pattern.compile("\\{xid (\\w+)}");
    private static final Pattern BLANKS = Pattern.compile("[ \\t]+");
    /** In a parameter file's lines: a free TCP port of loopback (for the Manager's PORT: never 7809 in a test). */
    static final String FREE_PORT = "{free port}";

    private final Path projectDir;
    private final Path home;
    private final ChildProcesses processes;
    private final Function<String, String> xidOf;
    private final PrintStream out;

    /** {@code xidOf}: the XID text of a scripted transaction, for {@code {xid T1}}. */
    ControlSteps(Path projectDir, Path home, ChildProcesses processes, Function<String, String> xidOf, PrintStream out) {
        this.projectDir = projectDir;
        this.home = home;
        this.processes = processes;
        this.xidOf = xidOf;
        this.out = out;
    }

    record Output(int exitCode, String text) {
    }

    void execute(Step.ControlCmd cmd) throws IOException, InterruptedException {
        if (cmd instanceof Step.Param p) {
            Path f = Files.createDirectories(home.resolve("dirprm")).resolve(p.name() + ".prm");
            String text = String.join("\n", p.lines()) + "\n";
            if (text.contains(FREE_PORT)) text = text.replace(FREE_PORT, Integer.toString(freePort()));
            Files.writeString(f, text, StandardCharsets.UTF_8);
            out.printf("      %s: %d lines%n", home.relativize(f), p.lines().size());
            for (String l : text.split("\n")) out.println("      | " + l);
        } else if (cmd instanceof Step.Ggsci g) {
            Output o = ggsci(g.command());
            print(o);
            if (o.exitCode() != 0) throw new IllegalStateException("ggsci \"" + g.command() + "\" exited with code " + o.exitCode());
            if (g.prints() != null && !contains(o.text(), g.prints())) {
                throw new IllegalStateException("ggsci \"" + g.command() + "\" did not print \"" + g.prints() + "\"");
            }
        } else if (cmd instanceof Step.WaitGgsci w) {
            long deadline = System.nanoTime() + w.timeout().toNanos();
            int tries = 0;
            while (true) {
                Output o = ggsci(w.command());
                tries++;
                if (contains(o.text(), w.prints())) {
                    print(o);
                    out.printf("      (after %d tr%s)%n", tries, tries == 1 ? "y" : "ies");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    print(o);
                    throw new IllegalStateException("ggsci \"" + w.command() + "\" did not print \"" + w.prints() + "\" within "
                            + w.timeout().toSeconds() + " s (" + tries + " tries; the last output is above)");
                }
                processes.checkNoneDied();
                Thread.sleep(500);
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** TEXT in the output, runs of blanks and tabs on either side compared as one blank (GGSCI pads columns). */
    static boolean contains(String output, String text) {
        return BLANKS.matcher(output).replaceAll(" ").contains(BLANKS.matcher(text).replaceAll(" "));
    }

    private void print(Output o) {
        for (String l : o.text().split("\n")) out.println("      | " + l);
    }

    /** Runs {@code bin/redotrail ggsci} against the home; {@code {xid T1}} stands for transaction T1's XID. */
    Output ggsci(String command) throws IOException, InterruptedException {
        Matcher m = XID_REF.matcher(command);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) m.appendReplacement(resolved, Matcher.quoteReplacement(xidOf.apply(m.group(1))));
        m.appendTail(resolved);
        Path cfg = processes.configCopy("ggsci", null);
        Process p = new ProcessBuilder(processes.command("ggsci", resolved.toString(), "--home", home.toString(),
                "--config", cfg.toString())).directory(projectDir.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Output(p.waitFor(), text);
    }

    /** Stops a Manager still running on the home ({@code stop mgr!}), e.g. after a failed step; its groups stop with it. */
    void stopManager() {
        if (!GroupLock.held(home, "MGR")) return;
        try {
            Output o = ggsci("stop mgr!");
            out.println("      a Manager was still running: stop mgr!");
            print(o);
        } catch (IOException | RuntimeException e) {
            out.println("      stopping the Manager: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
