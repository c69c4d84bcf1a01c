package io.redotrail.scenario;

import io.redotrail.scenario.ScriptTokens.Cursor;
import io.redotrail.scenario.ScriptTokens.Tok;
import io.redotrail.scenario.Step.Literal;
import io.redotrail.sim.ColumnDef;
import io.redotrail.sim.ColumnType;
import io.redotrail.sim.TableDef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a scenario script (format {@code redotrail-scenario 1}, docs/scenarios.md): one command per line,
 * {@code #} starts a comment outside quotes, blank lines ignored, the first command line must be the version
 * line. Every error names the file and line ({@link ScriptTokens} splits a line into tokens). Stateless.
 */
public final class ScriptParser {
    public static final String VERSION_LINE = "redotrail-scenario 1";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SQL_TYPE = Pattern.compile("([A-Z0-9_]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private ScriptParser() {
    }

    public static List<Step> parse(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + file, e);
        }
    }

    public static List<Step> parse(Path file, String text) {
        return parse(file, text, true);
    }

    /**
     * Script lines without the version line (e.g. written inline in a test); {@code source} names them in
     * messages. A version line, if present first, is accepted.
     */
    public static List<Step> parseLines(Path source, String text) {
        return parse(source, text, false);
    }

    private static List<Step> parse(Path file, String text, boolean versionRequired) {
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        boolean versionSeen = !versionRequired;
        List<String> paramBody = null; // inside 'param NAME' ... 'end param': the lines so far
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String where = file + ":" + lineNo;
            if (paramBody != null) {
                // a parameter file's lines are taken as written, up to 'end param'
                if (!lines[i].strip().equalsIgnoreCase("end param")) {
                    paramBody.add(lines[i]);
                    continue;
                }
                Step open = steps.remove(steps.size() - 1);
                steps.add(new Step(open.file(), open.line(), open.text(), new Step.Param(((Step.Param) open.cmd()).name(), List.copyOf(paramBody))));
                paramBody = null;
                continue;
            }
            List<Tok> toks;
            try {
                toks = ScriptTokens.tokenize(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(where + ": " + e.getMessage());
            }
            if (toks.isEmpty()) continue;
            String shown = lines[i].strip();
            boolean versionLine = toks.size() == 2 && toks.get(0).is("redotrail-scenario");
            if (!versionSeen || (versionLine && steps.isEmpty() && !versionRequired)) {
                if (versionLine) {
                    if (!toks.get(1).text().equals("1")) {
                        throw new ScenarioException(where + ": unsupported script version " + toks.get(1).text() + " (this runner reads version 1)");
                    }
                    versionSeen = true;
                    continue;
                }
                throw new ScenarioException(where + ": the first line must be '" + VERSION_LINE + "'");
            }
            try {
                steps.add(new Step(file, lineNo, shown, command(new Cursor(toks))));
                if (steps.get(steps.size() - 1).cmd() instanceof Step.Param) paramBody = new ArrayList<>();
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(where + ": " + e.getMessage() + "\n    " + shown);
            }
        }
        if (paramBody != null) {
            Step open = steps.get(steps.size() - 1);
            throw new ScenarioException(open.where() + ": '" + open.text() + "' has no 'end param' line");
        }
        if (!versionSeen) throw new ScenarioException(file + ":1: empty script; the first line must be '" + VERSION_LINE + "'");
        return steps;
    }

    // ---------------------------------------------------------------- commands

    private static Step.Cmd command(Cursor c) {
        String verb = c.word("a command").toLowerCase(Locale.ROOT);
        Step.Cmd cmd = switch (verb) {
            case "set" -> {
                String key = c.word("a configuration key");
                c.punct("=");
                StringBuilder v = new StringBuilder();
                while (c.more()) v.append(v.length() == 0 ? "" : " ").append(c.next().text());
                yield new Step.Set(key, v.toString());
            }
            case "create" -> {
                c.keyword("table");
                yield new Step.CreateTable(createTable(c));
            }
            case "target" -> {
                c.keyword("create");
                yield new Step.TargetCreate();
            }
            case "begin" -> {
                String tx = c.word("a transaction name");
                int thread = 1;
                if (c.peekIs("thread")) {
                    c.next();
                    thread = c.intValue("a thread number");
                }
                if (thread < 1 || thread > 64) throw new IllegalArgumentException("thread must be 1..64, got " + thread);
                yield new Step.Begin(tx, thread);
            }
            case "insert" -> {
                String tx = c.word("a transaction name");
                String table = tableName(c);
                if (c.peekIs("rows")) {
                    c.next();
                    long n = c.longValue("a row count");
                    if (n < 1) throw new IllegalArgumentException("rows must be at least 1, got " + n);
                    yield new Step.InsertRows(tx, table, n);
                }
                c.punct("(");
                Map<String, Literal> values = assignments(c, ",");
                c.punct(")");
                yield new Step.InsertRow(tx, table, values);
            }
            case "update" -> {
                String tx = c.word("a transaction name");
                String table = tableName(c);
                c.keyword("set");
                Map<String, Literal> set = assignments(c, ",");
                c.keyword("where");
                yield new Step.Update(tx, table, set, assignments(c, "and"));
            }
            case "delete" -> {
                String tx = c.word("a transaction name");
                String table = tableName(c);
                c.keyword("where");
                yield new Step.Delete(tx, table, assignments(c, "and"));
            }
            case "commit" -> new Step.Commit(c.word("a transaction name"));
            case "rollback" -> new Step.Rollback(c.word("a transaction name"));
            case "switch" -> {
                c.keyword("logfile");
                yield new Step.SwitchLog(optionalThread(c));
            }
            case "archive" -> {
                c.keyword("delete");
                c.keyword("sequence");
                Long seq = null;
                String of = null;
                if (c.peekIs("of")) {
                    c.next();
                    of = c.word("a transaction name");
                } else {
                    seq = c.longValue("a log sequence number or 'of TX'");
                }
                Integer thread = optionalThread(c);
                boolean force = c.peekIs("force");
                if (force) c.next();
                yield new Step.ArchiveDelete(seq, of, thread, force);
            }
            case "clock" -> {
                c.keyword("advance");
                yield new Step.ClockAdvance(duration(c.word("a duration such as 4h, 20m, 30s, 500ms")));
            }
            case "extract", "pump", "replicat", "pipeline" -> {
                String action = c.word("start, stop, kill or restart").toLowerCase(Locale.ROOT);
                if (!List.of("start", "stop", "kill", "restart").contains(action)) {
                    throw new IllegalArgumentException(verb + " takes start, stop, kill or restart, not '" + action + "'");
                }
                yield new Step.Process(verb, action);
            }
            case "wait" -> {
                String what = c.word("'replicated', 'trail' or 'ggsci'").toLowerCase(Locale.ROOT);
                if (what.equals("ggsci")) {
                    String command = c.string("a quoted GGSCI command");
                    c.keyword("prints");
                    String prints = c.string("the quoted text to wait for");
                    yield new Step.WaitGgsci(command, prints, optionalDuration(c, "timeout", Duration.ofSeconds(60)));
                }
                if (what.equals("replicated")) yield new Step.WaitReplicated(optionalDuration(c, "timeout", Duration.ofSeconds(120)));
                if (what.equals("trail")) {
                    String prefix = c.word("a trail prefix");
                    c.keyword("files");
                    int n = c.intValue("a file count");
                    yield new Step.WaitTrailFiles(prefix, n, optionalDuration(c, "timeout", Duration.ofSeconds(120)));
                }
                throw new IllegalArgumentException("wait takes 'replicated', 'trail PREFIX files N' or 'ggsci \"CMD\" prints \"TEXT\"', not '" + what + "'");
            }
            case "assert" -> {
                if (c.peekIs("source")) {
                    c.next();
                    c.keyword("equals");
                    c.keyword("target");
                    yield new Step.AssertEqual();
                }
                if (c.peekIs("target")) {
                    c.next();
                    if (!c.peekIs("rows")) {
                        String table = tableName(c);
                        c.keyword("where");
                        Map<String, Literal> where = assignments(c, "and");
                        c.keyword("has");
                        yield new Step.AssertTargetValues(table, where, assignments(c, ","));
                    }
                    c.next();
                    String table = c.word("OWNER.TABLE");
                    c.punct("=");
                    yield new Step.AssertTargetRows(table, Long.parseLong(c.word("a row count")));
                }
                c.keyword("trail");
                String prefix = c.word("a trail prefix");
                c.keyword("csn");
                c.keyword("order");
                yield new Step.AssertTrailOrder(prefix);
            }
            case "expect" -> {
                c.keyword("abend");
                String text = c.string("the quoted text the abend message contains");
                yield new Step.ExpectAbend(text, optionalDuration(c, "within", Duration.ofSeconds(60)));
            }
            case "ggsci" -> {
                String command = c.string("a quoted GGSCI command");
                String prints = null;
                if (c.peekIs("prints")) {
                    c.next();
                    prints = c.string("the quoted text the output contains");
                }
                yield new Step.Ggsci(command, prints);
            }
            case "param" -> {
                String name = c.word("a parameter file name (param pumha ... end param: dirprm/pumha.prm)");
                if (!name.matches("[A-Za-z0-9_$#]{1,8}")) throw new IllegalArgumentException("'" + name + "' is not a group name (mgr or 1 to 8 letters, digits, _)");
                yield new Step.Param(name, List.of()); // its lines, up to 'end param', are added by parse
            }
            case "sleep" -> new Step.Sleep(duration(c.word("a duration such as 500ms")));
            case "simulate" -> {
                int n = c.intValue("a transaction count");
                c.keyword("transactions");
                long seed = 42;
                if (c.peekIs("seed")) {
                    c.next();
                    seed = c.longValue("a seed");
                }
                yield new Step.Simulate(n, seed);
            }
            default -> throw new IllegalArgumentException("unknown command '" + verb + "'");
        };
        if (c.more()) throw new IllegalArgumentException("unexpected '" + c.next().text() + "' after the command");
        return cmd;
    }

    private static Integer optionalThread(Cursor c) {
        if (!c.peekIs("thread")) return null;
        c.next();
        int t = c.intValue("a thread number");
        if (t < 1 || t > 64) throw new IllegalArgumentException("thread must be 1..64, got " + t);
        return t;
    }

    private static Duration optionalDuration(Cursor c, String keyword, Duration def) {
        if (!c.peekIs(keyword)) return def;
        c.next();
        return duration(c.word("a duration"));
    }

    /** {@code 500ms}, {@code 30s}, {@code 20m}, {@code 4h}, {@code 2d}. */
    public static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("bad duration '" + s + "' (use e.g. 500ms, 30s, 20m, 4h, 2d)");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String tableName(Cursor c) {
        String t = c.word("a table name OWNER.TABLE").toUpperCase(Locale.ROOT);
        if (!t.matches("[A-Z_][A-Z0-9_$#]*\\.[A-Z_][A-Z0-9_$#]*")) {
            throw new IllegalArgumentException("table name must be OWNER.TABLE, got '" + t + "'");
        }
        return t;
    }

    /** {@code C=v <sep> C=v ...} (sep "," or "and"), column names upper-cased. */
    private static Map<String, Literal> assignments(Cursor c, String sep) {
        Map<String, Literal> m = new LinkedHashMap<>();
        do {
            String col = c.word("a column name").toUpperCase(Locale.ROOT);
            c.punct("=");
            if (m.put(col, literal(c)) != null) throw new IllegalArgumentException("column " + col + " given twice");
        } while (sep.equals(",") ? c.tryPunct(",") : c.tryKeyword(sep));
        return m;
    }

    private static Literal literal(Cursor c) {
        if (!c.more()) throw new IllegalArgumentException("a value is missing at the end of the line");
        Tok t = c.next();
        if (t.kind() == Tok.Kind.SQUOTE) return new Literal(Literal.Kind.STRING, t.text());
        if (t.kind() != Tok.Kind.WORD) throw new IllegalArgumentException("expected a value, got '" + t.text() + "'");
        if (t.is("null")) return new Literal(Literal.Kind.NULL, "NULL");
        if (t.text().matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) return new Literal(Literal.Kind.NUMBER, t.text());
        if (t.is("now") || t.is("today")) return new Literal(Literal.Kind.WORD, t.text().toLowerCase(Locale.ROOT));
        throw new IllegalArgumentException("bad value '" + t.text() + "' (numbers, 'quoted text', NULL, now, today)");
    }

    /** {@code OWNER.T (COL TYPE [NOT NULL] [PRIMARY KEY], ..., [PRIMARY KEY (A, B)])}. */
    private static TableDef createTable(Cursor c) {
        String name = tableName(c);
        c.punct("(");
        List<ColumnDef> cols = new ArrayList<>();
        List<String> key = new ArrayList<>();
        do {
            if (c.peekIs("primary")) {
                c.next();
                c.keyword("key");
                c.punct("(");
                do key.add(c.word("a key column").toUpperCase(Locale.ROOT)); while (c.tryPunct(","));
                c.punct(")");
                continue;
            }
            String col = c.word("a column name").toUpperCase(Locale.ROOT);
            StringBuilder type = new StringBuilder(c.word("a column type").toUpperCase(Locale.ROOT));
            if (c.tryPunct("(")) {
                type.append('(').append(c.word("a length"));
                if (c.tryPunct(",")) type.append(',').append(c.word("a scale"));
                c.punct(")");
                type.append(')');
            }
            boolean nullable = true;
            while (c.peekIs("not") || c.peekIs("primary")) {
                if (c.next().is("not")) {
                    c.keyword("null");
                    nullable = false;
                } else {
                    c.keyword("key");
                    nullable = false;
                    key.add(col);
                }
            }
            String[] ddl = columnType(col, type.toString());
            cols.add(new ColumnDef(col, ddl[0], ColumnType.valueOf(ddl[1]), nullable));
        } while (c.tryPunct(","));
        c.punct(")");
        if (key.isEmpty()) throw new IllegalArgumentException("table " + name + " needs a primary key (PRIMARY KEY on a column or PRIMARY KEY (...))");
        return new TableDef(name, cols, key, null);
    }

    /** Maps a script type to {portable DDL type, ColumnType name}. */
    private static String[] columnType(String col, String type) {
        Matcher m = SQL_TYPE.matcher(type);
        if (!m.matches()) throw new IllegalArgumentException("bad type " + type + " of column " + col);
        String base = m.group(1);
        String p = m.group(2), s = m.group(3);
        return switch (base) {
            case "BIGINT", "INTEGER", "INT", "SMALLINT" -> new String[]{"BIGINT", "LONG"};
            case "NUMBER", "NUMERIC", "DECIMAL" -> {
                if (p == null) yield new String[]{"DECIMAL(38,10)", "DECIMAL"};
                if (s == null || s.equals("0")) yield base.equals("NUMBER") && Integer.parseInt(p) <= 18
                        ? new String[]{"BIGINT", "LONG"} : new String[]{"DECIMAL(" + p + ",0)", "DECIMAL"};
                yield new String[]{"DECIMAL(" + p + "," + s + ")", "DECIMAL"};
            }
            case "VARCHAR", "VARCHAR2", "NVARCHAR2", "CHAR" -> new String[]{"VARCHAR(" + (p == null ? "4000" : p) + ")", "STRING"};
            case "TIMESTAMP" -> new String[]{"TIMESTAMP", "TIMESTAMP"};
            case "DATE" -> new String[]{"DATE", "DATE"};
            default -> throw new IllegalArgumentException("unsupported type " + type + " of column " + col
                    + " (BIGINT, INTEGER, NUMBER(p[,s]), DECIMAL(p,s), VARCHAR(n), VARCHAR2(n), TIMESTAMP, DATE)");
        };
    }
}
