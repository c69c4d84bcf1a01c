package io.redotrail.cli.ggsci;

import io.redotrail.control.manager.ChildCommand;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How GGSCI's START MANAGER runs the Manager in the background, as GoldenGate's GGSCI does: {@code <this JVM's java>
 * -cp <its class path> io.redotrail.cli.Main mgr --home H [--config C] [--set K=V]...} ({@link ChildCommand#main}),
 * in the current directory (the install directory, where routes/ and config/ are), in a session of its own
 * ({@code setsid}, where the system has it) so that Ctrl-C at the GGSCI prompt or the end of the shell that ran
 * GGSCI does not reach it, stdin from /dev/null, stdout and stderr appended to {@code dirrpt/MGR.rpt}. Stateless.
 */
final class ManagerLaunch {
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    private ManagerLaunch() {
    }

    /** {@code dirrpt/MGR.rpt}: where the Manager's own output goes (its events go to ggserr.log). */
    static Path output(Path home) {
        return home.resolve("dirrpt").resolve("MGR.rpt");
    }

    /** The command line; {@code options} = {@code --home H [--config C] [--set K=V]...}. */
    static List<String> command(List<String> options) {
        List<String> cmd = new ArrayList<>();
        SETSID.stream().filter(s -> Files.isExecutable(Path.of(s))).findFirst().ifPresent(cmd::add);
        cmd.addAll(ChildCommand.ofThisJvm(ChildCommand.MAIN, List.of()).main("mgr"));
        cmd.addAll(options);
        return cmd;
    }

    /** Starts it, output appended to {@link #output}; does not wait. */
    static Process start(Path home, List<String> options) throws IOException {
        Path out = output(home);
        Files.createDirectories(out.getParent());
        Files.writeString(out, "---- " + java.time.LocalDateTime.now().withNano(0) + " GGSCI START MANAGER: "
                + String.join(" ", command(options)) + System.lineSeparator(), java.nio.charset.StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return new ProcessBuilder(command(options)).redirectInput(new File("/dev/null").exists()
                        ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
    }

    /** Polls {@code condition} every 100 ms until it holds (true) or {@code millis} passed (false). */
    static boolean poll(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
        }
        return true;
    }

    /** The last {@code n} lines of a file ("" when it is absent). */
    static String tail(Path file, int n) {
        try {
            if (!Files.exists(file)) return "";
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
