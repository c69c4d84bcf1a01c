package io.redotrail.cli.ggsci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One GGSCI command line split the way GGSCI reads it: {@code VERB [OBJECT] [group] [, option words]...}.
 * Keywords are case-insensitive and may be abbreviated as GGSCI allows ({@code EXT}, {@code REP}); the
 * object may be left out ({@code info ext1 showch}, {@code send ext1 showtrans}), in which case
 * {@code object} is null and the registry resolves it from the group's files. {@code options} holds the
 * words after the group, comma-separated clauses kept apart ({@code [[SHOWCH]]},
 * {@code [[SKIPTRANS, 10.16.1533, FORCE]]}), words in their original case. {@code group} is upper case (a group
 * name); {@code groupAsTyped} keeps the word as typed, for the commands whose "group" is a path
 * ({@code ADD EXTTRAIL ./dirdat/ha}) or a table name.
 */
public record ParsedCommand(String raw, String verb, String object, String group, String groupAsTyped,
                            List<List<String>> options) {

    /** Object keywords and their abbreviations. */
    static final Map<String, String> OBJECTS = Map.ofEntries(
            Map.entry("EXTRACT", "EXTRACT"), Map.entry("EXT", "EXTRACT"),
            Map.entry("REPLICAT", "REPLICAT"), Map.entry("REP", "REPLICAT"),
            Map.entry("ER", "ER"), Map.entry("CREDENTIALSTORE", "CREDENTIALSTORE"), Map.entry("ALL", "ALL"), Map.entry("REPORT", "REPORT"),
            Map.entry("EXTTRAIL", "EXTTRAIL"), Map.entry("RMTTRAIL", "RMTTRAIL"),
            Map.entry("CHECKPOINTTABLE", "CHECKPOINTTABLE"), Map.entry("HEARTBEATTABLE", "HEARTBEATTABLE"), Map.entry("PARAMS", "PARAMS"), Map.entry("PARAM", "PARAMS"),
            Map.entry("GGSEVT", "GGSEVT"), Map.entry("MGR", "MANAGER"), Map.entry("MANAGER", "MANAGER"));

    public static ParsedCommand parse(String line) {
        String raw = line == null ? "" : line.trim();
        List<List<String>> clauses = new ArrayList<>();
        for (String c : raw.split(",")) {
            List<String> words = new ArrayList<>(Arrays.asList(c.trim().split("\\s+")));
            words.removeIf(String::isEmpty);
            clauses.add(words);
        }
        List<String> first = clauses.isEmpty() ? new ArrayList<>() : clauses.remove(0);
        if (first.isEmpty()) throw new GgsciException("Invalid command: empty command line.");
        String verb = first.remove(0).toUpperCase(Locale.ROOT);
        String object = null;
        if (!first.isEmpty() && first.get(0).length() > 1 && first.get(0).endsWith("!")
                && OBJECTS.containsKey(first.get(0).substring(0, first.get(0).length() - 1).toUpperCase(Locale.ROOT))) {
            // STOP MGR! is STOP MGR !
            String w = first.remove(0);
            first.add(0, "!");
            first.add(0, w.substring(0, w.length() - 1));
        }
        if (!first.isEmpty() && OBJECTS.containsKey(first.get(0).toUpperCase(Locale.ROOT))) {
            object = OBJECTS.get(first.remove(0).toUpperCase(Locale.ROOT));
        }
        String typed = null;
        if (!first.isEmpty() && !"ALL".equals(object)) typed = first.remove(0);
        String group = typed == null ? null : typed.toUpperCase(Locale.ROOT);
        List<List<String>> options = new ArrayList<>();
        if (!first.isEmpty()) options.add(List.copyOf(first));
        for (List<String> c : clauses) {
            if (!c.isEmpty()) options.add(List.copyOf(c));
        }
        return new ParsedCommand(raw, verb, object, group, typed, List.copyOf(options));
    }

    /** True when some option clause starts with {@code word} (case-insensitive). */
    public boolean has(String word) {
        return option(word) != null;
    }

    /** The clause starting with {@code word}, or null. */
    public List<String> option(String word) {
        for (List<String> c : options) {
            if (!c.isEmpty() && c.get(0).equalsIgnoreCase(word)) return c;
        }
        return null;
    }

    /**
     * Refuses an option word the command does not read, so a typo ({@code checkpontable}) is an error naming it,
     * not an option silently left out. {@code arity}: each keyword the command takes → how many words follow it
     * ({@code -1}: the rest of its clause, e.g. {@code BEGIN 2026-12-02 12:00}). Keywords may share a clause
     * ({@code EXTSEQNO 3 EXTRBA 0}).
     */
    public void requireKnownOptions(String command, Map<String, Integer> arity) {
        for (List<String> clause : options) {
            for (int i = 0; i < clause.size(); ) {
                Integer n = arity.get(clause.get(i).toUpperCase(Locale.ROOT));
                if (n == null) {
                    throw new GgsciException("Unknown option '" + clause.get(i) + "' for " + command + " (it takes "
                            + String.join(", ", new java.util.TreeSet<>(arity.keySet())) + ").");
                }
                if (n < 0) break;
                i += 1 + n;
            }
        }
    }

    /** All option words in order, clauses joined ({@code EXTSEQNO 2287 EXTRBA 0}). */
    public List<String> words() {
        List<String> all = new ArrayList<>();
        options.forEach(all::addAll);
        return all;
    }

    public ParsedCommand withObject(String resolved) {
        return new ParsedCommand(raw, verb, resolved, group, groupAsTyped, options);
    }
}
