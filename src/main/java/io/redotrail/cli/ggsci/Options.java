package io.redotrail.cli.ggsci;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Values of GGSCI command options: {@code KEYWORD number} pairs among a command's words ({@code EXTSEQNO 2287},
 * {@code MEGABYTES 50}) and GoldenGate's timestamps {@code yyyy-mm-dd[ hh:mi[:ss[.cccccc]]]} (local time, as
 * GGSCI reads them). Errors name the keyword and the text. Stateless.
 */
final class Options {
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').appendPattern("HH:mm")
            .optionalStart().appendLiteral(':').appendPattern("ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 1, 6, true).optionalEnd()
            .optionalEnd().optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
            .toFormatter(Locale.ROOT);

    private Options() {
    }

    /** The number after {@code keyword} among {@code words}, or null when the keyword is absent. */
    static Long find(List<String> words, String keyword) {
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equalsIgnoreCase(keyword)) continue;
            if (i + 1 >= words.size()) throw new GgsciException(keyword + " needs a number");
            return parseNumber(keyword, words.get(i + 1));
        }
        return null;
    }

    /** The number after {@code keyword} in the command's options, or {@code def}. */
    static long number(ParsedCommand c, String keyword, long def) {
        Long n = find(c.words(), keyword);
        return n == null ? def : n;
    }

    static long parseNumber(String keyword, String text) {
        try {
            long n = Long.parseLong(text);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new GgsciException(keyword + " must be a number >= 0, got '" + text + "'");
        }
    }

    /** Epoch millis of {@code yyyy-mm-dd[ hh:mi[:ss[.cccccc]]]} in the local time zone. */
    static long timestamp(String text) {
        try {
            return LocalDateTime.parse(text.trim(), TIMESTAMP).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new GgsciException("Invalid BEGIN timestamp '" + text + "': expected yyyy-mm-dd hh:mi[:ss[.cccccc]]"
                    + " or NOW.");
        }
    }
}
