package io.redotrail.cli.logdump;

import io.redotrail.trail.TrailInspector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Logdump's {@code FILTER}: {@code INCLUDE | EXCLUDE FILENAME pattern} (table {@code OWNER.TABLE}, {@code *} and
 * {@code ?} wildcards, case-insensitive) and {@code INCLUDE | EXCLUDE TRANSIND n}. A record passes when it matches
 * one INCLUDE of each kind given and no EXCLUDE. With any condition set, only ROW records pass (not the file
 * header nor FILE_END). Used by one thread.
 */
final class RecordFilter {
    private record Condition(boolean include, String kind, String text, Pattern table, int transInd) {
        boolean matches(TrailInspector.Record r) {
            return kind.equals("FILENAME") ? table.matcher(r.row().change().table()).matches() : r.row().transInd() == transInd;
        }

        @Override
        public String toString() {
            return (include ? "INCLUDE " : "EXCLUDE ") + kind + " " + text;
        }
    }

    private final List<Condition> conditions = new ArrayList<>();

    /** {@code words}: what follows FILTER. Refuses (IllegalArgumentException) anything else. */
    void apply(List<String> words) {
        if (words.isEmpty()) throw new IllegalArgumentException("FILTER needs INCLUDE, EXCLUDE, CLEAR or SHOW");
        String verb = words.get(0).toUpperCase(Locale.ROOT);
        if (verb.equals("CLEAR") && words.size() == 1) {
            conditions.clear();
            return;
        }
        if (verb.equals("SHOW") && words.size() == 1) return;
        if (!(verb.equals("INCLUDE") || verb.equals("EXCLUDE")) || words.size() != 3) {
            throw new IllegalArgumentException("usage: FILTER {INCLUDE | EXCLUDE} {FILENAME owner.table | TRANSIND n} | FILTER CLEAR | FILTER SHOW");
        }
        String kind = words.get(1).toUpperCase(Locale.ROOT);
        String arg = words.get(2);
        switch (kind) {
            case "FILENAME" -> conditions.add(new Condition(verb.equals("INCLUDE"), kind, arg, glob(arg), -1));
            case "TRANSIND" -> {
                int n;
                try {
                    n = Integer.parseInt(arg);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0 || n > 3) throw new IllegalArgumentException("TRANSIND is 0 (begin), 1 (middle), 2 (end) or 3 (whole), not " + arg);
                conditions.add(new Condition(verb.equals("INCLUDE"), kind, arg, null, n));
            }
            default -> throw new IllegalArgumentException("FILTER " + verb + " takes FILENAME or TRANSIND, not " + words.get(1));
        }
    }

    boolean active() {
        return !conditions.isEmpty();
    }

    boolean passes(TrailInspector.Record r) {
        if (conditions.isEmpty()) return true;
        if (r.row() == null) return false;
        for (String kind : List.of("FILENAME", "TRANSIND")) {
            boolean anyInclude = false, included = false;
            for (Condition c : conditions) {
                if (!c.kind().equals(kind)) continue;
                boolean m = c.matches(r);
                if (!c.include() && m) return false;
                if (c.include()) {
                    anyInclude = true;
                    included |= m;
                }
            }
            if (anyInclude && !included) return false;
        }
        return true;
    }

    List<String> describe() {
        return conditions.stream().map(Condition::toString).toList();
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char ch : g.toCharArray()) {
            if (ch == '*') re.append(".*");
            else if (ch == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }
}
