package io.redotrail.observe.web;

import io.redotrail.report.EventLog;
import io.redotrail.report.ReportFile;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code /api/report/<G>}: the last lines of the group's report {@code dirrpt/<G>.rpt} and its abends — the
 * report's OGG-01668 lines (PROCESS ABENDING, written by the group) and the {@code ggserr.log} lines that say the
 * group abended (the Manager's OGG-01668 "... ABENDED (pid ...)" for a process that died without a word, and
 * RTR-01107 after a KILL). Only the tail of each file is read (the last {@value #TAIL_BYTES} bytes), so a report
 * of many megabytes costs no more than a small one. Stateless.
 */
public final class ReportTail {
    static final int TAIL_BYTES = 256 * 1024;
    static final int LINES = 40;
    static final int ABENDS = 10;

    /** {@code lines}: the report's last lines; {@code abends}: the last abend lines of report and event log. */
    public record Report(String group, List<String> lines, List<String> abends) {
    }

    private ReportTail() {
    }

    public static Report of(Path home, String group) {
        String g = group.toUpperCase(Locale.ROOT);
        List<String> report = tail(ReportFile.pathOf(home, g));
        Pattern mine = Pattern.compile("\\b(EXTRACT|REPLICAT) " + Pattern.quote(g) + "\\b");
        List<String> abends = new ArrayList<>(report.stream().filter(l -> l.contains("OGG-01668")).toList());
        abends.addAll(tail(EventLog.fileOf(home)).stream()
                .filter(l -> (l.contains("OGG-01668") || l.contains("RTR-01107")) && mine.matcher(l).find()).toList());
        return new Report(g, last(report, LINES), last(abends, ABENDS));
    }

    private static List<String> last(List<String> l, int n) {
        return List.copyOf(l.subList(Math.max(0, l.size() - n), l.size()));
    }

    /** The whole lines in the last {@link #TAIL_BYTES} of {@code file}; none when it does not exist. */
    static List<String> tail(Path file) {
        if (!Files.isRegularFile(file)) return List.of();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - TAIL_BYTES);
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            List<String> lines = new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\r?\n")));
            if (from > 0 && !lines.isEmpty()) lines.remove(0); // cut in the middle of a line
            lines.removeIf(String::isBlank);
            return lines;
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }
}
