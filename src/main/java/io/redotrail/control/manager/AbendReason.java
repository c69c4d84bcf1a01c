package io.redotrail.control.manager;

import io.redotrail.report.ReportFile;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Why a group abended, for its ggserr.log line: the last {@code OGG-01668 PROCESS ABENDING} line its report file
 * ({@code dirrpt/<GROUP>.rpt}) got during this run, else the last abend or message-id line of its output
 * ({@code dirrpt/<GROUP>.out}) since the Manager started it (not an INFO line), else its last {@code redotrail: }
 * line (the command line's error, followed by its usage), else its last line naming an exception or error (the JVM's
 * own end), else its last output line named as such, else a note that it wrote nothing (killed). Reads only what the run appended, at most the last 16 KB of each. Stateless, thread-safe.
 */
final class AbendReason {
    private static final int TAIL = 16 * 1024;
    private static final java.util.regex.Pattern THROWABLE = java.util.regex.Pattern.compile("\\b[\\w.$]*(Exception|Error)\\b");

    private AbendReason() {
    }

    /** Where the report and output files end now: what a run appends comes after. */
    record Marks(long report, long out) {
        static Marks of(Path home, String group) {
            return new Marks(size(ReportFile.pathOf(home, group)), size(outOf(home, group)));
        }
    }

    static Path outOf(Path home, String group) {
        return home.resolve("dirrpt").resolve(group + ".out");
    }

    static String of(Path home, String group, Marks since) {
        for (String l : reversed(tail(ReportFile.pathOf(home, group), since.report()))) {
            if (l.contains("OGG-01668")) return clip(l.substring(l.indexOf("OGG-01668")));
        }
        List<String> out = reversed(tail(outOf(home, group), since.out()));
        for (String l : out) {
            // an INFO line with a message id (OGG-01052 at a trail's recovery) says nothing of why the group ended
            if (l.contains("ABEND") || (l.contains("OGG-") && !l.contains(" INFO "))) return clip(l);
        }
        for (String l : out) {
            if (l.startsWith("redotrail: ")) return clip(l); // the command line's own error line, before its usage
        }
        for (String l : out) {
            // a JVM's own end (OutOfMemoryError, an uncaught exception) names a Throwable
            if (!l.contains(" INFO ") && THROWABLE.matcher(l).find()) return clip(l);
        }
        for (String l : out) {
            if (!l.isBlank()) return "no error line in dirrpt/" + group + ".out; its last line: " + clip(l);
        }
        return "it wrote nothing to dirrpt/" + group + ".out (killed?)";
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new java.util.ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    private static String clip(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static long size(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lines appended after {@code from} (its last 16 KB). */
    private static List<String> tail(Path f, long from) {
        if (!Files.exists(f)) return List.of();
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            long start = Math.max(from, r.length() - TAIL);
            if (start >= r.length()) return List.of();
            byte[] b = new byte[(int) (r.length() - start)];
            r.seek(start);
            r.readFully(b);
            return new String(b, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
