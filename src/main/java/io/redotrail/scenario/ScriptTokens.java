package io.redotrail.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical side of the scenario script format: one line split into words, quoted texts and punctuation
 * ({@link #tokenize}), and the {@link Cursor} {@link ScriptParser} reads them with. Errors are
 * {@link IllegalArgumentException}s without a position; the parser adds file and line.
 */
final class ScriptTokens {
    private ScriptTokens() {
    }

    record Tok(Kind kind, String text) {
        enum Kind { WORD, SQUOTE, DQUOTE, PUNCT }

        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }

    static List<Tok> tokenize(String line) {
        List<Tok> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            char ch = line.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '#') {
                break;
            } else if (ch == '(' || ch == ')' || ch == ',' || ch == '=') {
                out.add(new Tok(Tok.Kind.PUNCT, String.valueOf(ch)));
                i++;
            } else if (ch == '\'' || ch == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) throw new IllegalArgumentException("unterminated " + ch + "quoted" + ch + " text");
                    char d = line.charAt(j);
                    if (d == ch) {
                        if (j + 1 < n && line.charAt(j + 1) == ch) { // doubled quote = one quote
                            sb.append(ch);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                    j++;
                }
                out.add(new Tok(ch == '\'' ? Tok.Kind.SQUOTE : Tok.Kind.DQUOTE, sb.toString()));
                i = j + 1;
            } else {
                int j = i;
                while (j < n && !Character.isWhitespace(line.charAt(j)) && "(),='\"#".indexOf(line.charAt(j)) < 0) j++;
                out.add(new Tok(Tok.Kind.WORD, line.substring(i, j)));
                i = j;
            }
        }
        return out;
    }

    static final class Cursor {
        private final List<Tok> toks;
        private int at;

        Cursor(List<Tok> toks) {
            this.toks = toks;
        }

        boolean more() {
            return at < toks.size();
        }

        Tok next() {
            return toks.get(at++);
        }

        boolean peekIs(String word) {
            return more() && toks.get(at).is(word);
        }

        String word(String what) {
            if (!more()) throw new IllegalArgumentException("expected " + what + " at the end of the line");
            Tok t = next();
            if (t.kind != Tok.Kind.WORD) throw new IllegalArgumentException("expected " + what + ", got '" + t.text + "'");
            return t.text;
        }

        String string(String what) {
            if (!more()) throw new IllegalArgumentException("expected " + what + " at the end of the line");
            Tok t = next();
            if (t.kind != Tok.Kind.DQUOTE && t.kind != Tok.Kind.SQUOTE) {
                throw new IllegalArgumentException("expected " + what + ", got '" + t.text + "'");
            }
            return t.text;
        }

        void keyword(String k) {
            if (!more()) throw new IllegalArgumentException("expected '" + k + "' at the end of the line");
            Tok t = next();
            if (!t.is(k)) throw new IllegalArgumentException("expected '" + k + "', got '" + t.text + "'");
        }

        boolean tryKeyword(String k) {
            if (peekIs(k)) {
                at++;
                return true;
            }
            return false;
        }

        void punct(String p) {
            if (!tryPunct(p)) {
                throw new IllegalArgumentException("expected '" + p + "'" + (more() ? ", got '" + toks.get(at).text + "'" : " at the end of the line"));
            }
        }

        boolean tryPunct(String p) {
            if (more() && toks.get(at).kind == Tok.Kind.PUNCT && toks.get(at).text.equals(p)) {
                at++;
                return true;
            }
            return false;
        }

        long longValue(String what) {
            String w = word(what);
            try {
                return Long.parseLong(w);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + what + ", got '" + w + "'");
            }
        }

        int intValue(String what) {
            long v = longValue(what);
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw new IllegalArgumentException(what + " out of range: " + v);
            return (int) v;
        }
    }
}
