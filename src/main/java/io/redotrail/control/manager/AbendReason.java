package io.redotrail.control.manager;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Why a group abended, for its ggserr.log line: the last {@code OGG-01668 PROCESS ABENDING} line of its report
 * file written after it started, else the last line of its output ({@code dirrpt/<GROUP>.out}), else a note that
 * it left none (killed). Reads only the tail of each file. Stateless, thread-safe.
 */
final class AbendReason {
    private static final int TAIL = 16 * 1024;

    private AbendReason() {
    }

    static String of(Path home, String group) {
        Path dir = home.resolve("dirrpt");
        List<String> out = tail(dir.resolve(group + ".out"));
        // the .out file holds the Manager's start marker: only what the child wrote after the last one counts
        int start = 0;
        for (int i = 0; i < out.size(); i++) if (out.get(i).startsWith("---- ")) start = i + 1;
        List<String> since = out.subList(start, out.size());
        for (int i = since.size() - 1; i >= 0; i--) {
            if (since.get(i).contains("ABEND") || since.get(i).contains("OGG-")) return clip(since.get(i));
        }
        for (int i = since.size() - 1; i >= 0; i--) {
            if (!since.get(i).isBlank()) return clip(since.get(i));
        }
        return "it wrote nothing to dirrpt/" + group + ".out (killed?)";
    }

    private static String clip(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static List<String> tail(Path f) {
        if (!Files.exists(f)) return List.of();
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            long from = Math.max(0, r.length() - TAIL);
            byte[] b = new byte[(int) (r.length() - from)];
            r.seek(from);
            r.readFully(b);
            return new String(b, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
