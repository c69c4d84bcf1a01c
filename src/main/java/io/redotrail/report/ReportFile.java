package io.redotrail.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's report file {@code home/dirrpt/<GROUP>.rpt}: GoldenGate-style lines
 * {@code yyyy-MM-dd HH:mm:ss  INFO    OGG-nnnnn  text}, appended and flushed one line at a time (each line is
 * one open-append-close, so a kill -9 loses nothing written and a second process appends cleanly). Inside a
 * CamelContext one instance per group ({@link GroupRuntime#report()}), shared by every route step of the group
 * (redo consumer, aggregator, trail producer...); outside one (GGSCI ALTER) {@link #open}. A WARNING repeated with the same repeat key is written once; the repeats are summarised by
 * {@code INFO OGG-01971 The previous message, 'WARNING OGG-01027', repeated N times.} before the next
 * different line. Never throws: a report that cannot be written is logged, the process carries on.
 */
public final class ReportFile {
    private static final Logger LOG = LoggerFactory.getLogger(ReportFile.class);
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public enum Level { INFO, WARNING, ERROR }

    private final Path path;
    private String lastRepeatKey;
    private String lastLabel;
    private int repeats;

    private ReportFile(Path path) {
        this.path = path;
    }

    /**
     * A writer of the report file of {@code group} under {@code home}. Repeat summaries are kept per instance:
     * a route step uses its group's shared one ({@link GroupRuntime#report()}).
     */
    public static ReportFile open(Path home, String group) {
        return new ReportFile(pathOf(home, group));
    }

    public static Path pathOf(Path home, String group) {
        return home.toAbsolutePath().normalize().resolve("dirrpt").resolve(group.toUpperCase() + ".rpt");
    }

    public Path path() {
        return path;
    }

    public void info(String code, String text) {
        write(Level.INFO, code, text, null);
    }

    public void warning(String code, String text) {
        write(Level.WARNING, code, text, code);
    }

    /** A warning whose consecutive repeats with the same {@code repeatKey} are summarised by OGG-01971. */
    public void warning(String code, String text, String repeatKey) {
        write(Level.WARNING, code, text, repeatKey);
    }

    public void error(String code, String text) {
        write(Level.ERROR, code, text, null);
    }

    public synchronized void write(Level level, String code, String text, String repeatKey) {
        long now = System.currentTimeMillis();
        if (repeatKey != null && repeatKey.equals(lastRepeatKey)) {
            repeats++;
            return;
        }
        summariseRepeats(now);
        append(level, format(now, level, code, text));
        lastRepeatKey = repeatKey;
        lastLabel = level + " " + code;
    }

    /** Writes the pending OGG-01971 summary, if any (called at stop). */
    public synchronized void flush() {
        summariseRepeats(System.currentTimeMillis());
        lastRepeatKey = null;
    }

    private void summariseRepeats(long now) {
        if (repeats > 0) {
            append(Level.INFO, format(now, Level.INFO, "OGG-01971", "The previous message, '" + lastLabel + "', repeated "
                    + repeats + " times."));
            repeats = 0;
        }
        lastRepeatKey = null;
    }

    public static String format(long millis, Level level, String code, String text) {
        return String.format("%s  %-8s%s  %s", TS.format(Instant.ofEpochMilli(millis)), level, code, text);
    }

    /** A line written from outside the group's process (GGSCI ALTER): the operator's console already shows it. */
    public synchronized void infoQuietly(String code, String text) {
        appendToFile(format(System.currentTimeMillis(), Level.INFO, code, text));
    }

    /**
     * Lines written as they are, without time stamp or message id: the parameter echo at start ("Running with the
     * following parameters"), as GoldenGate's report has it. The caller masks secrets.
     */
    public synchronized void echo(List<String> lines) {
        summariseRepeats(System.currentTimeMillis());
        for (String l : lines) appendToFile(l);
    }

    private void append(Level level, String line) {
        // the console of `run` shows what the report file gets, at the same level
        switch (level) {
            case WARNING -> LOG.warn("{}", line);
            case ERROR -> LOG.error("{}", line);
            default -> LOG.info("{}", line);
        }
        appendToFile(line);
    }

    private void appendToFile(String line) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot append to report file {}: {} (line: {})", path, e.toString(), line);
        }
    }

    /** A block of text as is, without timestamp (the statistics at REPORT and at stop, as GoldenGate's). */
    public synchronized void block(String text) {
        flush();
        appendToFile(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    /** The file's lines (for tests and VIEW REPORT). */
    public List<String> lines() {
        try {
            return Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
