package io.redotrail.testkit;

import io.redotrail.scenario.ScriptedSource;
import io.redotrail.scenario.Step.Literal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulated source database session of a {@link RedotrailTestSupport} test, in Java: named transactions whose
 * changes are written to the home's redo (as Oracle's redo, which the extract route reads) and, at commit, to the
 * source database; the same session the scenario lines {@code begin}, {@code insert}, {@code update},
 * {@code delete}, {@code commit}, {@code rollback}, {@code switch logfile} and {@code simulate} drive
 * (docs/scenarios.md). Table and column names are upper-cased. Values: {@code null}, numbers (a
 * {@link BigDecimal} keeps its scale), text, {@link LocalDate} and {@link LocalDateTime}. A row another open
 * transaction changed is locked; a duplicate key fails with ORA-00001. Not thread-safe: use it from the test thread.
 */
public final class SourceSession {
    private final ScriptedSource source;

    SourceSession(ScriptedSource source) {
        this.source = source;
    }

    /** Names a transaction on redo thread 1 (optional: the first change begins one). */
    public SourceSession begin(String tx) {
        return begin(tx, 1);
    }

    /** Names a transaction on redo {@code thread} (a RAC instance; {@code redotrail.redo.threads} opens them). */
    public SourceSession begin(String tx, int thread) {
        source.begin(tx, thread);
        return this;
    }

    /** One row; columns not given are NULL, or a default of their type when NOT NULL. */
    public SourceSession insert(String tx, String table, Map<String, ?> values) {
        source.insert(tx, name(table), literals(values));
        return this;
    }

    /** {@code rows} generated rows with fresh keys, as the scenario line {@code insert T1 TABLE rows N}. */
    public SourceSession insertRows(String tx, String table, long rows) {
        source.insertRows(tx, name(table), rows);
        return this;
    }

    /** Updates the row whose primary key is {@code key}; a changed key column makes it a primary-key update. */
    public SourceSession update(String tx, String table, Map<String, ?> set, Map<String, ?> key) {
        source.update(tx, name(table), literals(set), literals(key));
        return this;
    }

    public SourceSession delete(String tx, String table, Map<String, ?> key) {
        source.delete(tx, name(table), literals(key));
        return this;
    }

    /** COMMIT: the commit record is made durable, then the changes reach the source database. Returns the CSN. */
    public long commit(String tx) {
        return source.commit(tx);
    }

    public SourceSession rollback(String tx) {
        source.rollback(tx);
        return this;
    }

    /** ALTER SYSTEM SWITCH LOGFILE on every redo thread: the current logs are archived. */
    public SourceSession switchLogfile() {
        source.switchLogFile(null);
        return this;
    }

    /**
     * {@code transactions} transactions of the workload generator on the demo tables (YDJK.*, POS_USER9.*),
     * some rolled back, through the same redo; {@code seed} makes them repeatable. Returns how many committed.
     */
    public long simulate(int transactions, long seed) {
        List<String> demo = io.redotrail.sim.SourceSchema.demo().tables().stream().map(io.redotrail.sim.TableDef::name).toList();
        return source.simulate(transactions, seed, demo).committedTransactions();
    }

    /** The CSN of the last committed transaction that changed a table the pump replicates (0 when none). */
    public long lastReplicatedCsn() {
        source.flush();
        return source.lastSelectedCommitScn();
    }

    private static String name(String table) {
        return table.toUpperCase(Locale.ROOT);
    }

    /** Java values as the script's literals, so both APIs convert values the same way. */
    static Map<String, Literal> literals(Map<String, ?> values) {
        Map<String, Literal> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.toUpperCase(Locale.ROOT), literal(k, v)));
        return out;
    }

    private static Literal literal(String column, Object v) {
        if (v == null) return new Literal(Literal.Kind.NULL, "NULL");
        if (v instanceof BigDecimal d) return new Literal(Literal.Kind.NUMBER, d.toPlainString());
        if (v instanceof Double || v instanceof Float) return new Literal(Literal.Kind.NUMBER, new BigDecimal(v.toString()).toPlainString());
        if (v instanceof Number n) return new Literal(Literal.Kind.NUMBER, n.toString());
        if (v instanceof CharSequence || v instanceof LocalDate || v instanceof LocalDateTime) {
            return new Literal(Literal.Kind.STRING, v.toString());
        }
        throw new IllegalArgumentException("column " + column + ": a " + v.getClass().getName()
                + " is not a source value (null, a number, text, LocalDate or LocalDateTime)");
    }
}
