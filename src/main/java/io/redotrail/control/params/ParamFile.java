package io.redotrail.control.params;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The statements of a GoldenGate parameter file ({@code dirprm/<group>.prm}, {@code dirprm/mgr.prm}), in order.
 * Syntax as GoldenGate's: one statement per line, the first word its name (case-insensitive); {@code --} starts a
 * comment; a line ending in {@code &} continues on the next; {@code TABLE}, {@code MAP} and the other statements
 * that name tables run until their closing {@code ;}, over as many lines as they need. What the statements mean is
 * for the caller ({@code GroupParams}, {@code MgrParams}): this class only splits. Immutable.
 */
public final class ParamFile {
    /** Statements that end at {@code ;} rather than at the end of the line. */
    private static final Set<String> TO_SEMICOLON = Set.of("TABLE", "MAP", "TABLEEXCLUDE", "MAPEXCLUDE", "SEQUENCE", "FILE");

    private final Path file;
    private final List<Param> params;

    private ParamFile(Path file, List<Param> params) {
        this.file = file;
        this.params = List.copyOf(params);
    }

    /** Reads {@code file}; a missing file is a {@link ParamException} naming it. */
    public static ParamFile read(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ParamException(file, 0, "parameter file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read parameter file " + file, e);
        }
    }

    /** Splits {@code text} as the content of {@code file} (the file is only named in errors). */
    public static ParamFile parse(Path file, String text) {
        List<Param> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder stmt = null;
        int start = 0;
        boolean toSemicolon = false;
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (stmt == null) {
                if (line.isEmpty()) continue;
                stmt = new StringBuilder();
                start = i + 1;
                toSemicolon = TO_SEMICOLON.contains(firstWord(line));
            } else if (!line.isEmpty()) {
                stmt.append(' ');
            }
            boolean continues = line.endsWith("&");
            if (continues) line = line.substring(0, line.length() - 1).strip();
            stmt.append(line);
            if (continues) continue;
            if (toSemicolon && !line.endsWith(";")) continue;
            out.add(statement(file, start, stmt.toString()));
            stmt = null;
        }
        if (stmt != null) {
            if (toSemicolon) {
                throw new ParamException(file, start, firstWord(stmt.toString()) + " statement has no closing ';'");
            }
            out.add(statement(file, start, stmt.toString()));
        }
        return new ParamFile(file, out);
    }

    private static Param statement(Path file, int line, String s) {
        String t = s.strip();
        if (t.endsWith(";")) t = t.substring(0, t.length() - 1).strip();
        int sp = indexOfSpaceOrComma(t);
        String name = sp < 0 ? t : t.substring(0, sp);
        String value = sp < 0 ? "" : t.substring(sp + 1).strip();
        if (value.startsWith(",")) value = value.substring(1).strip();
        return new Param(name, value, file, line);
    }

    private static int indexOfSpaceOrComma(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ',') return i;
        }
        return -1;
    }

    private static String firstWord(String line) {
        int sp = indexOfSpaceOrComma(line);
        return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    }

    /** Cuts a {@code --} comment, but not inside a quoted literal ({@code SITE = 'HQ--1'}). */
    private static String stripComment(String line) {
        boolean quoted = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == quote) quoted = false;
            } else if (c == '\'' || c == '"') {
                quoted = true;
                quote = c;
            } else if (c == '-' && i + 1 < line.length() && line.charAt(i + 1) == '-') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    public Path file() {
        return file;
    }

    public List<Param> params() {
        return params;
    }

    /** Every statement named {@code name}, in file order. */
    public List<Param> all(String name) {
        return params.stream().filter(p -> p.is(name)).toList();
    }

    /** The last statement named {@code name} (a later one overrides an earlier), or null. */
    public Param last(String name) {
        List<Param> a = all(name);
        return a.isEmpty() ? null : a.get(a.size() - 1);
    }
}
