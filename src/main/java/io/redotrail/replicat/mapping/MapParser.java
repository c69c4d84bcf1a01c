package io.redotrail.replicat.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses GoldenGate-style MAP statements (the Replicat's {@code map} bean property). Grammar (keywords and
 * unquoted names are case-insensitive and folded to upper case; {@code --} starts a comment to end of line):
 * <pre>
 * maps      := [ statement ] { ';' [ statement ] }
 * statement := 'MAP' name ',' 'TARGET' name { ',' option }
 * option    := 'COLMAP' '(' item { ',' item } ')'
 *            | 'KEYCOLS' '(' column { ',' column } ')'
 * item      := 'USEDEFAULTS' | column '=' expr
 * expr      := column | 'text' | number | 'NULL'
 *            | '@GETENV' '(' 'TRANSACTION' ',' ('CSN' | 'XID') ')'
 *            | '@GETENV' '(' 'GGHEADER' ',' ('COMMITTIMESTAMP' | 'OPTYPE' | 'TABLENAME') ')'
 * name      := part [ '.' part ]        (source parts may hold the wildcards * and ?)
 * part      := identifier | "quoted identifier"
 * </pre>
 * Errors are {@link MapSyntaxException}s naming the statement number, its text and the 1-based character
 * position in the property, e.g. {@code map: statement 2 (MAP A.B, TARGET C.D, COLMAP (X = )) at position 58:
 * expected a column, 'text', number or @GETENV after '=' but found ')'}.
 */
public final class MapParser {
    private final String src;
    private int pos;
    private int stmtStart;
    private int stmtNo;

    private MapParser(String src) {
        this.src = src;
    }

    /** All statements of {@code text}; null or blank text gives an empty list (identity mapping). */
    public static List<MapStatement> parse(String text) {
        List<MapStatement> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        MapParser p = new MapParser(text);
        while (true) {
            p.skipSpace();
            if (p.pos >= p.src.length()) break;
            if (p.src.charAt(p.pos) == ';') {
                p.pos++;
                continue;
            }
            out.add(p.statement());
        }
        return out;
    }

    private MapStatement statement() {
        stmtStart = pos;
        stmtNo++;
        expectKeyword("MAP", "a statement to start with MAP");
        String[] source = name(true);
        expect(',', "',' after the source name");
        expectKeyword("TARGET", "TARGET after 'MAP " + join(source) + ",'");
        String[] target = name(false);
        boolean useDefaults = false;
        List<MapStatement.ColMapEntry> colMap = new ArrayList<>();
        List<String> keyCols = new ArrayList<>();
        boolean sawColMap = false;
        boolean sawKeyCols = false;
        while (true) {
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) == ';') break;
            expect(',', "',' or ';' after the target name or an option");
            int at = pos;
            String kw = word();
            if (kw.equals("COLMAP")) {
                if (sawColMap) throw error(at, "COLMAP given twice");
                sawColMap = true;
                expect('(', "'(' after COLMAP");
                do {
                    skipSpace();
                    int itemAt = pos;
                    String col = identifier("a target column or USEDEFAULTS in COLMAP");
                    if (col.equals("USEDEFAULTS") && !peek('=')) {
                        useDefaults = true;
                        continue;
                    }
                    for (MapStatement.ColMapEntry e : colMap) {
                        if (e.targetColumn().equals(col)) throw error(itemAt, "target column " + col + " mapped twice in COLMAP");
                    }
                    expect('=', "'=' after target column " + col);
                    colMap.add(new MapStatement.ColMapEntry(col, expr()));
                } while (accept(','));
                expect(')', "',' or ')' in COLMAP");
            } else if (kw.equals("KEYCOLS")) {
                if (sawKeyCols) throw error(at, "KEYCOLS given twice");
                sawKeyCols = true;
                expect('(', "'(' after KEYCOLS");
                do {
                    keyCols.add(identifier("a column name in KEYCOLS"));
                } while (accept(','));
                expect(')', "',' or ')' in KEYCOLS");
            } else {
                throw error(at, "expected COLMAP or KEYCOLS but found " + (kw.isEmpty() ? found() : "'" + kw + "'"));
            }
        }
        if (!sawColMap) useDefaults = true; // no COLMAP: every column maps by name
        if (MapStatement.isWildcard(target[0]) && !"*".equals(target[0]) || MapStatement.isWildcard(target[1]) && !"*".equals(target[1])) {
            throw error(stmtStart, "a target name may use only '*' for a whole part (meaning: the source's name), got " + join(target));
        }
        String text = src.substring(stmtStart, pos);
        return new MapStatement(stmtNo, text, stmtStart, source[0], source[1], target[0], target[1], useDefaults,
                List.copyOf(colMap), List.copyOf(keyCols));
    }

    private MapStatement.Expr expr() {
        skipSpace();
        if (pos >= src.length()) throw error(pos, "expected a column, 'text', number or @GETENV after '=' but found the end");
        char c = src.charAt(pos);
        if (c == '\'') return new MapStatement.Constant(string());
        if (c == '-' || c == '+' || Character.isDigit(c)) return new MapStatement.Constant(number());
        if (c == '@') {
            int at = pos;
            pos++;
            String fn = word();
            if (!fn.equals("GETENV")) throw error(at, "unknown function @" + fn + " (supported: @GETENV)");
            expect('(', "'(' after @GETENV");
            skipSpace();
            int a1 = pos;
            String info = src.charAt(pos) == '\'' ? string().toUpperCase(Locale.ROOT) : word();
            expect(',', "',' in @GETENV");
            skipSpace();
            int a2 = pos;
            String what = pos < src.length() && src.charAt(pos) == '\'' ? string().toUpperCase(Locale.ROOT) : word();
            expect(')', "')' after @GETENV arguments");
            MapStatement.Kind k = switch (info) {
                case "TRANSACTION" -> switch (what) {
                    case "CSN" -> MapStatement.Kind.CSN;
                    case "XID" -> MapStatement.Kind.XID;
                    default -> throw error(a2, "unsupported @GETENV('TRANSACTION', '" + what + "') (supported: CSN, XID)");
                };
                case "GGHEADER" -> switch (what) {
                    case "COMMITTIMESTAMP" -> MapStatement.Kind.COMMIT_TIMESTAMP;
                    case "OPTYPE" -> MapStatement.Kind.OPTYPE;
                    case "TABLENAME" -> MapStatement.Kind.TABLENAME;
                    default -> throw error(a2, "unsupported @GETENV('GGHEADER', '" + what
                            + "') (supported: COMMITTIMESTAMP, OPTYPE, TABLENAME)");
                };
                default -> throw error(a1, "unsupported @GETENV information type '" + info + "' (supported: TRANSACTION, GGHEADER)");
            };
            return new MapStatement.Token(k);
        }
        if (c == '"' || isIdentStart(c)) {
            String id = identifier("a source column");
            if (id.equals("NULL")) return new MapStatement.Constant(null);
            return new MapStatement.Column(id);
        }
        throw error(pos, "expected a column, 'text', number or @GETENV after '=' but found " + found());
    }

    private String string() {
        int at = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '\'') {
                if (pos < src.length() && src.charAt(pos) == '\'') {
                    sb.append('\'');
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            sb.append(c);
        }
        throw error(at, "unterminated 'text' literal");
    }

    private Object number() {
        int at = pos;
        int start = pos;
        if (src.charAt(pos) == '-' || src.charAt(pos) == '+') pos++;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) pos++;
        String t = src.substring(start, pos);
        try {
            if (t.indexOf('.') < 0) return Long.parseLong(t);
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw error(at, "malformed number '" + t + "'");
        }
    }

    /** owner.table or table; returns {owner or null, table}. */
    private String[] name(boolean source) {
        skipSpace();
        String what = source ? "a source table name (OWNER.TABLE, wildcards allowed)" : "a target table name (OWNER.TABLE)";
        String first = part(what);
        if (accept('.')) return new String[]{first, part(what)};
        return new String[]{null, first};
    }

    private String part(String what) {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == '"') return quoted();
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#' || c == '*' || c == '?') pos++;
            else break;
        }
        if (start == pos) throw error(pos, "expected " + what + " but found " + found());
        return src.substring(start, pos).toUpperCase(Locale.ROOT);
    }

    private String identifier(String what) {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == '"') return quoted();
        if (pos >= src.length() || !isIdentStart(src.charAt(pos))) throw error(pos, "expected " + what + " but found " + found());
        return word();
    }

    private String quoted() {
        int at = pos;
        pos++;
        int end = src.indexOf('"', pos);
        if (end < 0) throw error(at, "unterminated \"quoted identifier\"");
        String s = src.substring(pos, end);
        pos = end + 1;
        return s;
    }

    private String word() {
        skipSpace();
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#') pos++;
            else break;
        }
        return src.substring(start, pos).toUpperCase(Locale.ROOT);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private void expectKeyword(String kw, String what) {
        skipSpace();
        int at = pos;
        String w = word();
        if (!w.equals(kw)) throw error(at, "expected " + what + " but found " + (w.isEmpty() ? found() : "'" + w + "'"));
    }

    private void expect(char c, String what) {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == c) {
            pos++;
            return;
        }
        throw error(pos, "expected " + what + " but found " + found());
    }

    private boolean accept(char c) {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        skipSpace();
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && pos + 1 < src.length() && src.charAt(pos + 1) == '-') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else {
                break;
            }
        }
    }

    private String found() {
        if (pos >= src.length()) return "the end";
        char c = src.charAt(pos);
        if (c == ';') return "';'";
        int end = pos;
        while (end < src.length() && end < pos + 20 && !Character.isWhitespace(src.charAt(end))) end++;
        return "'" + src.substring(pos, Math.max(end, pos + 1)) + "'";
    }

    private MapSyntaxException error(int at, String message) {
        int end = src.indexOf(';', stmtStart);
        String stmt = (end < 0 ? src.substring(stmtStart) : src.substring(stmtStart, end)).strip().replaceAll("\\s+", " ");
        if (stmt.length() > 100) stmt = stmt.substring(0, 97) + "...";
        return new MapSyntaxException("map: statement " + stmtNo + " (" + stmt + ") at position " + (at + 1) + ": " + message);
    }

    private static String join(String[] n) {
        return n[0] == null ? n[1] : n[0] + "." + n[1];
    }
}
