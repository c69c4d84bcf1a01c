package io.redotrail.runtime;

import io.redotrail.core.Jdbc;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.TargetCreate;
import io.redotrail.replicat.mapping.Mapper;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code target create}: a target's schemas and tables from the source's, for the tables the pump selects
 * ({@code redotrail.pump.tables}), as MAP statements map them ({@link TargetCreate}). One implementation for
 * {@code bin/redotrail target create}, the scenario line {@code target create}, the test kit, and the target
 * {@code run}, {@code demo} and {@code simulate} prepare ({@link HomeSetup#prepare}). The tables the pump selects
 * ({@link #selectedTables}) are also the ones {@code verify} and the scenario checks compare. Stateless.
 */
public final class TargetSetup {
    private TargetSetup() {
    }

    /** {@code redotrail.replicat.map} (empty = every table under its own name; ConfigCheck validated it). */
    public static Mapper configuredMapper(Settings s) {
        String m = s.get("redotrail.replicat.map", "");
        return m.isBlank() ? new Mapper(List.of()) : Mapper.parse(m);
    }

    /** The configured target ({@code redotrail.target.*}) with the configured MAP; one line per source table. */
    public static List<String> createConfigured(Settings s) {
        String url = s.get("redotrail.target.jdbcUrl");
        List<String> out = new ArrayList<>();
        out.add("Target: " + url);
        for (TargetCreate.Outcome o : createConfiguredOutcomes(s)) out.add("  " + o);
        return out;
    }

    /**
     * As {@link #createConfigured}, but only the lines of tables this call created (none when every target table
     * exists): what {@code run}, {@code demo} and {@code simulate} print on each start without repeating
     * "exists, left as is" every time.
     */
    public static List<String> createConfiguredQuietly(Settings s) {
        List<TargetCreate.Outcome> outcomes = createConfiguredOutcomes(s);
        if (outcomes.stream().noneMatch(o -> o.status().equals(TargetCreate.CREATED))) return List.of();
        List<String> out = new ArrayList<>();
        out.add("Target: " + s.get("redotrail.target.jdbcUrl"));
        for (TargetCreate.Outcome o : outcomes) if (!o.status().equals(TargetCreate.EXISTS)) out.add("  " + o);
        return out;
    }

    private static List<TargetCreate.Outcome> createConfiguredOutcomes(Settings s) {
        return create(s, s.get("redotrail.target.jdbcUrl"), s.get("redotrail.target.user", ""),
                s.get("redotrail.target.password", ""), configuredMapper(s));
    }

    /**
     * Creates on {@code url} the target of every source table the pump selects that does not exist there yet.
     * A fresh home gets its source schema first, as {@code run} makes it. An unreachable target is a
     * ConfigException (naming the URL); a table the target refuses is an IllegalStateException naming it.
     */
    public static List<TargetCreate.Outcome> create(Settings s, String url, String user, String password, Mapper mapper) {
        if (!sourceExists(s)) HomeSetup.prepareHome(s);
        try (Connection src = Jdbc.connect(HomeSetup.sourceUrl(s), "sa", "")) {
            List<String> tables = selectedTables(s, src);
            Connection tgt;
            try {
                tgt = Jdbc.connect(url, user, password);
            } catch (SQLException e) {
                throw new Settings.ConfigException("cannot connect to target database " + url + ": " + e.getMessage());
            }
            try (tgt) {
                return TargetCreate.create(src, tgt, tables, mapper);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the target's tables on " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * The source tables the pump's TABLE patterns ({@code redotrail.pump.tables}) select, read from the source
     * database (so a table a scenario or test kit {@code create table} added is one of them): the one list that
     * {@code target create}, {@code verify} and the scenario checks use. None is a configuration error (a
     * comparison of nothing would report "identical"), as is a pattern that selects none (a misspelling).
     */
    public static List<String> selectedTables(Settings s, Connection source) throws SQLException {
        TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
        List<String> all = TargetCreate.tables(source);
        List<String> tables = all.stream().filter(selected::matches).toList();
        if (tables.isEmpty()) throw s.invalid("redotrail.pump.tables", "selects none of the source tables " + all);
        List<String> none = selected.selectingNone(all);
        if (!none.isEmpty()) {
            // a misspelled owner leaves that owner's tables out, of the comparison too, without a word
            throw s.invalid("redotrail.pump.tables", "pattern" + (none.size() == 1 ? " " : "s ") + String.join(", ", none)
                    + (none.size() == 1 ? " selects" : " select") + " none of the source tables " + all);
        }
        return tables;
    }

    /** {@link #selectedTables(Settings, Connection)} of the home's source database, which must exist. */
    public static List<String> selectedTables(Settings s) {
        if (!sourceExists(s)) {
            throw s.invalid("redotrail.home", "has no source database (db/source.mv.db): run, simulate, demo or target create makes it");
        }
        try (Connection src = Jdbc.connect(HomeSetup.sourceUrl(s), "sa", "")) {
            return selectedTables(s, src);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the source tables from " + HomeSetup.sourceUrl(s) + ": " + e.getMessage(), e);
        }
    }

    private static boolean sourceExists(Settings s) {
        return Files.exists(s.home().resolve("db").resolve("source.mv.db"));
    }
}
