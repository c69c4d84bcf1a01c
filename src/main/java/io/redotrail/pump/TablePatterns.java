package io.redotrail.pump;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * GoldenGate-style table selection: a list like {@code YDJK.*; POS_USER9.*; BFAPP9.ORDERS} where {@code *}
 * matches any run of characters and {@code ?} one character. Names are compared case-insensitively, as
 * unquoted Oracle identifiers are. Immutable and thread-safe.
 */
public final class TablePatterns {
    private final List<String> sources = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    // a trail names few tables many times: match each name once
    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();

    /** Parses patterns separated by commas, semicolons or whitespace; a leading {@code TABLE} keyword is allowed. */
    public static TablePatterns parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("table patterns must not be empty (use *.* to select every table)");
        }
        TablePatterns tp = new TablePatterns();
        for (String raw : spec.split("[,;\\s]+")) {
            String p = raw.trim();
            if (p.isEmpty() || p.equalsIgnoreCase("TABLE")) continue;
            if (!p.matches("[A-Za-z0-9_$#*?]+\\.[A-Za-z0-9_$#*?]+")) {
                throw new IllegalArgumentException("table pattern '" + p + "' must look like OWNER.TABLE (wildcards * and ?)");
            }
            tp.sources.add(p.toUpperCase(Locale.ROOT));
            tp.patterns.add(Pattern.compile(toRegex(p.toUpperCase(Locale.ROOT))));
        }
        if (tp.patterns.isEmpty()) {
            throw new IllegalArgumentException("no table pattern in '" + spec + "'");
        }
        return tp;
    }

    private static String toRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                case '$', '.', '#' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The patterns (as written, upper case) that select none of {@code tables}: a misspelled owner or table. */
    public List<String> selectingNone(java.util.Collection<String> tables) {
        List<String> none = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = patterns.get(i);
            if (tables.stream().noneMatch(t -> p.matcher(t.toUpperCase(Locale.ROOT)).matches())) none.add(sources.get(i));
        }
        return none;
    }

    public boolean matches(String table) {
        return decided.computeIfAbsent(table, this::matchesUncached);
    }

    private boolean matchesUncached(String table) {
        String t = table.toUpperCase(Locale.ROOT);
        for (Pattern p : patterns) {
            if (p.matcher(t).matches()) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join("; ", sources);
    }
}
