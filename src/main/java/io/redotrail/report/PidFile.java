package io.redotrail.report;

import io.redotrail.checkpoint.AtomicFiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code dirchk/<GROUP>.pid}: written when a group's route starts, removed at a graceful stop, kept (with
 * {@code abended=true}) when the group abends. A file whose process is gone is stale: the group was killed
 * or abended. {@code port} is the control channel's TCP port on 127.0.0.1 (0 when it has none).
 */
public record PidFile(long pid, String program, long startedMillis, boolean abended, String cause) {

    public static Path pathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".pid");
    }

    public static Path controlPathOf(Path home, String group) {
        return home.resolve("dirchk").resolve(group.toUpperCase() + ".ctl");
    }

    public void write(Path file) {
        String text = "pid=" + pid + "\nprogram=" + program + "\nstarted=" + startedMillis + "\nabended=" + abended
                + "\ncause=" + (cause == null ? "" : cause.replace('\n', ' ').replace('\\', '/')) + "\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<PidFile> read(Path file) {
        try {
            if (!Files.exists(file)) return Optional.empty();
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.of(new PidFile(Long.parseLong(p.getProperty("pid", "-1").trim()), p.getProperty("program", ""),
                    Long.parseLong(p.getProperty("started", "0").trim()), Boolean.parseBoolean(p.getProperty("abended")),
                    p.getProperty("cause", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // half-written or foreign file: treat as absent
        }
    }

    /** True when the process that wrote the file is still alive. */
    public boolean alive() {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return false;
        try { // a killed process nobody reaped yet (no init in a container) is a zombie: gone for our purposes
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (Files.exists(stat)) {
                String s = Files.readString(stat);
                int paren = s.lastIndexOf(')');
                return !(paren > 0 && s.length() > paren + 2 && s.charAt(paren + 2) == 'Z');
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: trust ProcessHandle
        }
        return true;
    }

    /** The control port in {@code dirchk/<GROUP>.ctl}, if the file exists. */
    public static Optional<Integer> controlPort(Path home, String group) {
        Path f = controlPathOf(home, group);
        try {
            if (!Files.exists(f)) return Optional.empty();
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            return Optional.of(Integer.parseInt(p.getProperty("port").trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
